// The command with no arguments: a small character LSTM on tiny Shakespeare for a few minutes,
// saved to runs/shakespeare.safetensors, then a sample.
using TextGen.Generation;
using TextGen.Text;
using TextGen.Training;

namespace TextGen.Cli.Commands;

internal static class MainJob
{
    public const string Checkpoint = "runs/shakespeare.safetensors";

    public static int Run()
    {
        var options = new TrainOptions { CheckpointPath = Checkpoint };
        return TrainCommand.Run(options, "tinyshakespeare", null, json: false, after: (_, report) =>
        {
            if (report.StopReason == StopReason.Cancelled) return;
            Console.WriteLine();
            Console.WriteLine("--- sample (temperature 0.8) ---");
            GenerateCommand.Write(Checkpoint, "ROMEO:\n", 500, new SamplingOptions { Temperature = 0.8f, Seed = 1 }, UnknownTokenPolicy.Error);
        });
    }
}
