// The arithmetic the GPU path may use for matrix work, chosen by the caller, never silently.
namespace TextGen.Cuda;

/// <summary>Numeric precision of the GPU path's matrix products and recurrent kernels.</summary>
public enum Precision
{
    /// <summary>Strict IEEE FP32 everywhere (cuBLAS default math, cuDNN FMA math): matches a float64 reference to about 1e-5.</summary>
    Fp32,

    /// <summary>FP32 storage with TF32 tensor-core products (10-bit mantissa inputs): several times faster, results differ at the 1e-3 level.</summary>
    Tf32,

    /// <summary>bfloat16 autocast; not implemented yet (asking for it throws <see cref="NotSupportedException"/>).</summary>
    Bf16,
}

/// <summary>Parsing of <see cref="Precision"/> names as the CLI spells them.</summary>
public static class PrecisionNames
{
    /// <summary>Parses <c>fp32</c>, <c>tf32</c> or <c>bf16</c> (case-insensitive).</summary>
    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Fp32,
        "tf32" => Precision.Tf32,
        "bf16" or "bfloat16" => Precision.Bf16,
        _ => throw new ArgumentException($"unknown precision '{text}': use fp32, tf32 or bf16"),
    };

    /// <summary>The CLI spelling of a precision.</summary>
    public static string Name(this Precision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>Throws a clear message when a precision is not implemented by the GPU path.</summary>
    internal static void EnsureSupported(Precision precision)
    {
        if (precision == Precision.Bf16)
            throw new NotSupportedException("bf16 precision is not implemented by the CUDA backend yet: use tf32 (fast) or fp32 (strict)");
    }
}
