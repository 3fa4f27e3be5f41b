// Which colour scale a heatmap uses: values that have a sign read best on a scale that is neutral at zero, values that
// run from nothing to a lot (attention weights, probabilities) on one whose brightness grows with the value.
namespace TextGen.Viz;

/// <summary>The colour scale of <see cref="Charts.Heatmap"/>: diverging (signed values) or sequential (0 up to a maximum).</summary>
public enum HeatmapScale
{
    /// <summary>Blue for the lowest values through grey to red for the highest (plotly's RdBu): for values with a sign.</summary>
    Diverging,

    /// <summary>Dark purple for the lowest values through green to yellow for the highest (Viridis): for weights and probabilities.</summary>
    Sequential,
}
