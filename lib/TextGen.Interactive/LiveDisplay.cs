// A value below the running cell that later calls replace in place. The kernel's own display().Update()
// sends updates under a new display id in Jupyter (seen with dotnet-interactive 1.0.712001), so they never
// land; publishing both events with one id of our own works in Jupyter, VS Code and the in-process host.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace TextGen.Interactive;

/// <summary>One displayed value, formatted with its preferred MIME types, that <see cref="Update"/> replaces.</summary>
internal sealed class LiveDisplay
{
    private readonly KernelInvocationContext context;
    private readonly string id = Guid.NewGuid().ToString();

    private LiveDisplay(KernelInvocationContext context) => this.context = context;

    /// <summary>Shows <paramref name="value"/> below the running cell; null when no cell is running.</summary>
    public static LiveDisplay? Show(object value)
    {
        if (KernelInvocationContext.Current is not { } context) return null;
        var display = new LiveDisplay(context);
        context.Publish(new DisplayedValueProduced(value, context.Command, Format(value), display.id));
        return display;
    }

    /// <summary>Replaces what is shown.</summary>
    public void Update(object value) => context.Publish(new DisplayedValueUpdated(value, id, context.Command, Format(value)));

    private static IReadOnlyCollection<FormattedValue> Format(object value) =>
        FormattedValue.CreateManyFromObject(value, [.. Formatter.GetPreferredMimeTypesFor(value.GetType())]);
}
