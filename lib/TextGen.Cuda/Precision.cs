// The arithmetic the GPU path may use for matrix work, chosen by the caller, never silently; spelled fp32 or tf32
// (EnumNames), the way `textgen bench --precision` and the benchmark lines write it.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TextGen.Cuda;

/// <summary>Numeric precision of the GPU path's matrix products and recurrent kernels.</summary>
[Description("precision")]
[JsonConverter(typeof(EnumNameJson<Precision>))]
public enum Precision
{
    /// <summary>Strict IEEE FP32 everywhere (cuBLAS default math, cuDNN FMA math): matches a float64 reference to about 1e-5.</summary>
    [JsonStringEnumMemberName("fp32"), EnumAlias("float32")] Fp32,

    /// <summary>FP32 storage with TF32 tensor-core products (10-bit mantissa inputs): several times faster, results differ at the 1e-3 level.</summary>
    [JsonStringEnumMemberName("tf32")] Tf32,
}
