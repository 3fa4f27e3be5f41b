// An observer of the kernel's event stream that hands each event to a callback.
using Microsoft.DotNet.Interactive.Events;

namespace TextGen.Notebooks;

internal sealed class KernelEventObserver(Action<KernelEvent> onNext) : IObserver<KernelEvent>
{
    public void OnNext(KernelEvent value) => onNext(value);
    public void OnError(Exception error) { }
    public void OnCompleted() { }
}
