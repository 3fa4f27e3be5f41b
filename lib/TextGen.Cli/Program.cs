// The textgen command: train, generate, eval, bench, data, doctor. With no arguments it runs the
// main job: a small character LSTM on tiny Shakespeare, then a sample.
using System.CommandLine;
using TextGen.Cli.Commands;

namespace TextGen.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("TextGen: train recurrent language models and generate text");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(NotebookCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.SetAction(_ => MainJob.Run());
        return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }
}
