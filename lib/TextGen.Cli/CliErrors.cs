// One place that turns the library's exceptions into a one-line error and an exit code,
// so that bad input never shows a stack trace.
namespace TextGen.Cli;

/// <summary>Maps exceptions to messages on stderr and non-zero exit codes.</summary>
public static class CliErrors
{
    /// <summary>Runs <paramref name="body"/> and reports any expected failure as <c>error: ...</c>.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {Message(e)}");
            return 2;
        }
    }

    /// <summary>The message without the " (Parameter 'x')" suffix that ArgumentException appends.</summary>
    public static string Message(Exception e) =>
        e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "") : e.Message;

    /// <summary>Whether an exception is about the user's input or environment rather than a bug.</summary>
    public static bool IsUserError(Exception e) => e is ArgumentException or IOException or UnauthorizedAccessException
        or InvalidOperationException or TextGen.Training.CheckpointException or TextGen.Training.TrainingDivergedException
        or NotSupportedException or FormatException or InsufficientMemoryException or System.Net.Http.HttpRequestException;
}
