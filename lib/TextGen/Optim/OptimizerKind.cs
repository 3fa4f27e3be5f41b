// Which optimizer a run uses, as a type rather than a string, with the names the CLI and resume files spell.
namespace TextGen.Optim;

/// <summary>The optimizers a training run can use.</summary>
public enum OptimizerKind
{
    /// <summary>Adam, with L2 weight decay added to the gradient (torch.optim.Adam).</summary>
    Adam,
    /// <summary>AdamW, with decoupled weight decay (torch.optim.AdamW).</summary>
    AdamW,
    /// <summary>SGD with momentum (torch.optim.SGD).</summary>
    Sgd,
}

/// <summary>Parsing and naming of <see cref="OptimizerKind"/> as the CLI and resume files spell it.</summary>
public static class OptimizerKindNames
{
    /// <summary>Parses adam, adamw or sgd (any case).</summary>
    public static OptimizerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        "sgd" => OptimizerKind.Sgd,
        _ => throw new ArgumentException($"unknown optimizer '{name}': use adam, adamw or sgd"),
    };

    /// <summary>The spelling of the CLI and of resume files: adam, adamw or sgd.</summary>
    public static string ToName(this OptimizerKind kind) => kind switch
    {
        OptimizerKind.Adam => "adam",
        OptimizerKind.AdamW => "adamw",
        _ => "sgd",
    };
}
