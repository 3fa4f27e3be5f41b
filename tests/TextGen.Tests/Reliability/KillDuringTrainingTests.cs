// Crash safety: `textgen train` is killed with SIGKILL at random moments (checkpoint writes
// included, since it checkpoints every other step here); after every kill the checkpoint and the
// resume state must load, and --resume must carry the run to its end.
using System.Diagnostics;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Reliability;

public class KillDuringTrainingTests
{
    /// <summary>Kills per run: 30 with TEXTGEN_RELIABILITY_FULL=1, fewer in the normal suite.</summary>
    private static int Kills => Environment.GetEnvironmentVariable("TEXTGEN_RELIABILITY_FULL") == "1" ? 30 : 6;

    private static Process Start(string dir, bool resume)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args = [Path.Combine(AppContext.BaseDirectory, "TextGen.Cli.dll"), "train", "--corpus", "corpus.txt", "--hidden", "32", "--embedding-dim", "8",
            "--batch", "8", "--seq-len", "32", "--eval-interval", "2", "--steps", "300", "--out", "m.safetensors", "--json"];
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (resume) { psi.ArgumentList.Add("--resume"); psi.ArgumentList.Add("m.safetensors"); }
        var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    [Fact]
    public async Task Checkpoints_survive_sigkill_at_random_moments_and_resume_finishes_the_run()
    {
        var dir = Directory.CreateTempSubdirectory("textgen-kill-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "corpus.txt"), string.Concat(Enumerable.Repeat("Now is the winter of our discontent made glorious summer. ", 400)));
            var rng = new Random(7);
            string model = Path.Combine(dir, "m.safetensors"), resume = ResumeState.PathFor(model);
            int survived = 0, lost = 0, lastStep = 0;
            for (int k = 0; k < Kills; k++)
            {
                bool resuming = File.Exists(resume);
                using var p = Start(dir, resuming);
                // A fresh run is first let reach its first checkpoint, however slow the machine is to start the CLI: the kills
                // that count are those after it. Resumed runs are killed at any moment, their start-up included.
                if (!resuming)
                    for (var waited = Stopwatch.StartNew(); !File.Exists(resume) && !p.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60);)
                        await Task.Delay(20, TestContext.Current.CancellationToken);
                await Task.Delay(rng.Next(300, 2500), TestContext.Current.CancellationToken);
                if (!p.HasExited) p.Kill(entireProcessTree: true); // SIGKILL on Linux
                await p.WaitForExitAsync(TestContext.Current.CancellationToken);
                if (!File.Exists(resume)) continue; // killed before the first checkpoint
                try
                {
                    ModelCheckpoint.Load(model);
                    int step = ResumeState.Load(resume).Cursor.Step;
                    Assert.True(step >= lastStep, $"kill {k}: the resume state went back from step {lastStep} to {step}");
                    lastStep = step;
                    survived++;
                }
                catch (CheckpointException e)
                {
                    lost++;
                    Assert.Fail($"kill {k}: checkpoint lost: {e.Message}");
                }
            }
            TestContext.Current.TestOutputHelper?.WriteLine($"kills: {Kills} tried, {survived} after the first checkpoint, all loadable; checkpoints lost: {lost}");
            Assert.True(survived > 0, "no kill happened after the first checkpoint: the first run never wrote one within a minute");
            using var final = Start(dir, File.Exists(resume));
            await final.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, final.ExitCode);
            Assert.Equal(300, ResumeState.Load(resume).Cursor.Step);
            Assert.Equal(0, lost);
        }
        finally { Directory.Delete(dir, true); }
    }
}
