// The arithmetic the GPU path may use for matrix work, chosen by the caller, never silently.
namespace TextGen.Cuda;

/// <summary>Numeric precision of the GPU path's matrix products and recurrent kernels.</summary>
public enum Precision
{
    /// <summary>Strict IEEE FP32 everywhere (cuBLAS default math, cuDNN FMA math): matches a float64 reference to about 1e-5.</summary>
    Fp32,

    /// <summary>FP32 storage with TF32 tensor-core products (10-bit mantissa inputs): several times faster, results differ at the 1e-3 level.</summary>
    Tf32,
}

/// <summary>Parsing of <see cref="Precision"/> names as the CLI spells them.</summary>
public static class PrecisionNames
{
    /// <summary>Parses <c>fp32</c> or <c>tf32</c> (case-insensitive).</summary>
    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Fp32,
        "tf32" => Precision.Tf32,
        _ => throw new ArgumentException($"unknown precision '{text}': use fp32 or tf32"),
    };

    /// <summary>The CLI spelling of a precision.</summary>
    public static string Name(this Precision precision) => precision.ToString().ToLowerInvariant();
}
