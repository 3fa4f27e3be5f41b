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
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.SetAction(_ => 0);
        return CliErrors.Run(() => root.Parse(args).Invoke());
    }
}
