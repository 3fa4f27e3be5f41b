// The notebook runner sets process-wide state (environment variables, the working directory,
// Console.Out) while a notebook runs, so the tests that depend on it run alone.
using Xunit;

namespace TextGen.Tests.Notebooks;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    public const string Name = "Process-wide notebook state";
}
