// Which optimizer a run uses, as a type rather than a string, spelled as the CLI and resume files write it
// (EnumNames: adam, adamw or sgd).
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace TextGen.Optim;

/// <summary>The optimizers a training run can use.</summary>
[Description("optimizer")]
[JsonConverter(typeof(EnumNameJson<OptimizerKind>))]
public enum OptimizerKind
{
    /// <summary>Adam, with L2 weight decay added to the gradient (torch.optim.Adam).</summary>
    [JsonStringEnumMemberName("adam")] Adam,
    /// <summary>AdamW, with decoupled weight decay (torch.optim.AdamW).</summary>
    [JsonStringEnumMemberName("adamw")] AdamW,
    /// <summary>SGD with momentum (torch.optim.SGD).</summary>
    [JsonStringEnumMemberName("sgd")] Sgd,
}
