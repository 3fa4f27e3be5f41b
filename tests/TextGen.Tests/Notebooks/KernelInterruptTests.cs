// Interrupting lesson 7's training cell in the real C# kernel (in process, the library referenced from this build, not
// the package), as Jupyter's interrupt does: the kernel answers the next cell, the best checkpoint loads with the
// lesson's own cell, and a resumed run continues from the step where the interrupt stopped it. The kernel ends the
// interrupted cell at once, while the run finishes its step; the extension holds the next cell until the run has
// stopped and saved its resume state (without it, the kernel ran that cell alongside the run: seen in CI under load).
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using TextGen.Notebooks;
using KernelHost = TextGen.Notebooks.KernelHost;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Notebooks;

// The extension sets the trainer's process-wide defaults (observer and cancellation).
[Collection(ProcessStateCollection.Name)]
public class KernelInterruptTests : IDisposable
{
    private const int InterruptStep = 7;   // after the best model of step 5 (validation every 5 steps)
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    // How long the interrupted step stays in flight while the next cell is queued: a kernel that ran that cell alongside
    // the run would finish it within this; one that queues it behind the run cannot, so the test passes either way it is timed.
    private static readonly TimeSpan StepInFlight = TimeSpan.FromSeconds(2);
    private readonly string dir = Directory.CreateTempSubdirectory("textgen-interrupt-").FullName;

    public void Dispose()
    {
        Trainer.DefaultObserver = null;
        Trainer.DefaultCancellation = null;
        Directory.Delete(dir, recursive: true);
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>Lesson 7's code cells, in order, as the notebook holds them.</summary>
    private static List<string> LessonCells()
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(Course.NotebooksDir, "07-training-a-character-model.ipynb")))!;
        return [.. notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").Select(c => OutputCheck.Join(c!["source"]))];
    }

    private static string Cell(List<string> cells, string containing) => cells.Single(c => c.Contains(containing, StringComparison.Ordinal));

    private static async Task<KernelCommandResult> Submit(Kernel kernel, string code)
    {
        var result = await kernel.SendAsync(new SubmitCode(code, KernelHost.CSharp)).WaitAsync(Patience);
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, $"cell failed: {failed?.Message}\n---\n{code}");
        return result;
    }

    private static T Value<T>(Kernel kernel, string name)
    {
        var csharp = (CSharpKernel)kernel.FindKernelByName(KernelHost.CSharp)!;
        Assert.True(csharp.TryGetValue<T>(name, out var value), $"no variable '{name}' in the kernel");
        return value;
    }

    [Fact]
    public async Task Interrupting_lesson_7s_training_leaves_a_responsive_kernel_a_loadable_best_and_a_run_that_resumes()
    {
        Course.EnsureCorpora();
        var cells = LessonCells();
        var checkpoint = Path.Combine(dir, "lesson7.safetensors");
        using var kernel = KernelHost.Create();
        await KernelHost.UseBuiltLibraryAsync(kernel);
        // The step the test interrupts at holds until the interrupt has reached the run's token, so the run stops there.
        var lineFor = Trainer.DefaultObserver!;
        var hold = new HoldAtStep(InterruptStep);
        Trainer.DefaultObserver = () => hold.Following(lineFor());

        // The lesson's setup, data and options cells, then one cell of our own that makes the model tiny, validates every
        // 5 steps and points the checkpoint into a temporary folder; the time limit only bounds a run the interrupt missed.
        await Submit(kernel, KernelHost.WithoutPackageReference(cells[0]));
        await Submit(kernel, Cell(cells, "Corpus.Load("));
        await Submit(kernel, Cell(cells, "var options = Lesson.Fit(new TrainOptions"));
        await Submit(kernel, Cell(cells, "int V = tokenizer.VocabularySize;"));
        await Submit(kernel, $"options = options with {{ CheckpointPath = @\"{checkpoint}\", EmbeddingDim = 16, HiddenSize = 32, BatchSize = 8, " +
            "SeqLen = 32, Steps = null, Epochs = null, Minutes = 2.0, EvalInterval = 5, EvalTokens = 2000, WarmupSteps = 0, Patience = 0 };");
        await Submit(kernel, Cell(cells, "var session = TrainingSession.Start("));

        // The lesson's training cell, interrupted with the kernel's Cancel command (what Jupyter's interrupt sends). Its progress
        // line must not be updated once the cell has ended: the front end has closed that output.
        int updates = 0, lateUpdates = 0;
        var cellOver = false;
        using var watch = kernel.KernelEvents.Subscribe(e =>
        {
            if (e is DisplayedValueUpdated) Interlocked.Increment(ref Volatile.Read(ref cellOver) ? ref lateUpdates : ref updates);
        });
        var training = kernel.SendAsync(new SubmitCode(Cell(cells, "var report = session.Trainer.Run("), KernelHost.CSharp));
        await hold.Reached.Task.WaitAsync(Patience);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await kernel.SendAsync(new Cancel()).WaitAsync(Patience);
        var interrupted = await training.WaitAsync(Patience);
        var cellEndedAfter = clock.Elapsed;
        Volatile.Write(ref cellOver, true);
        var failure = interrupted.Events.OfType<CommandFailed>().SingleOrDefault();
        Assert.NotNull(failure);

        // 1. The kernel answers the next cell, sent while the interrupted step is still in flight; it runs after the run has
        // stopped at that step and saved its resume state.
        var next = kernel.SendAsync(new SubmitCode("var answer = 6 * 7;\nint stepsWhenAnswered = session.Trainer.StepsDone;\n" +
            "long answeredAt = System.Diagnostics.Stopwatch.GetTimestamp();", KernelHost.CSharp));
        var sentAt = clock.Elapsed;
        hold.NextCell.SetResult(next);
        var answered = await next.WaitAsync(Patience);
        var answeredAfter = clock.Elapsed - sentAt;
        Assert.DoesNotContain(answered.Events, e => e is CommandFailed);
        Assert.Equal(42, Value<int>(kernel, "answer"));
        Assert.True(hold.RunEndedAt > 0 && Value<long>(kernel, "answeredAt") > hold.RunEndedAt, "the next cell ran while the interrupted run was still going");
        Assert.Equal(InterruptStep, Value<int>(kernel, "stepsWhenAnswered"));
        Assert.Equal(InterruptStep, ResumeState.Load(ResumeState.PathFor(checkpoint)).Cursor.Step);   // saved before the run ended
        Assert.Equal(StopReason.Cancelled, hold.Report?.StopReason);
        Assert.True(Volatile.Read(ref updates) > 0, "the progress line was never updated while training, so the check below sees nothing");
        Assert.Equal(0, Volatile.Read(ref lateUpdates));
        Volatile.Write(ref cellOver, false);

        // 2. The best checkpoint loads, through the lesson's own cell (which also samples from it).
        await Submit(kernel, Cell(cells, "ModelCheckpoint.Load(options.CheckpointPath!)"));
        int bestStep = int.Parse(Value<LoadedModel>(kernel, "loaded").Metadata["step"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5, bestStep);

        // 3. A re-run with resume continues from the interrupted step, not from the start.
        await Submit(kernel, "var resumed = TrainingSession.Resume(options.CheckpointPath!, corpus, options with { Minutes = null, Steps = 20 });\n" +
            "int resumedFrom = resumed.Trainer.StepsDone;\nvar resumedReport = resumed.Trainer.Run();");
        int resumedFrom = Value<int>(kernel, "resumedFrom");
        var report = Value<TrainingReport>(kernel, "resumedReport");
        Log($"interrupted at step {InterruptStep}: the cell ended {cellEndedAfter.TotalMilliseconds:F0} ms after Cancel ({failure.Message}); the next cell, " +
            $"sent with the step held in flight for {StepInFlight.TotalSeconds:F0} s, answered {answeredAfter.TotalMilliseconds:F0} ms later, after the run ended, " +
            $"seeing step {InterruptStep} and resume state at step {InterruptStep}; best checkpoint from step {bestStep} loads; " +
            $"resumed at step {resumedFrom}, first new step {report.History.First(h => h.Step > resumedFrom).Step}, ran to {report.Steps} ({report.StopReason})");
        Assert.Equal(InterruptStep, resumedFrom);
        Assert.Equal(InterruptStep + 1, report.History.First(h => h.Step > resumedFrom).Step);
        Assert.Equal(20, report.Steps);
        Assert.Equal(StopReason.BudgetReached, report.StopReason);
        Assert.Equal(InterruptStep, report.History.Last(h => h.Step <= InterruptStep).Step);   // the history carried over, not restarted
    }

    /// <summary>
    /// Follows a run for the test: passes progress on to the lesson's progress line, and at one step waits until the cell's token
    /// is cancelled, then keeps the step in flight until the next cell is queued and for <see cref="StepInFlight"/> or that cell's end.
    /// </summary>
    private sealed class HoldAtStep(int step)
    {
        public int Step { get; } = step;
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<Task<KernelCommandResult>> NextCell { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long RunEndedAt { get; private set; }
        public TrainingReport? Report { get; private set; }

        public ITrainingObserver Following(ITrainingObserver line) => new Observer(this, line);

        private sealed class Observer(HoldAtStep hold, ITrainingObserver line) : ITrainingObserver
        {
            public void Report(TrainingProgress value)
            {
                line.Report(value);
                if (value.Step != hold.Step) return;
                var token = KernelInvocationContext.Current?.CancellationToken ?? CancellationToken.None;
                hold.Reached.TrySetResult();
                token.WaitHandle.WaitOne(Patience);
                if (hold.NextCell.Task.Wait(Patience)) hold.NextCell.Task.Result.Wait(StepInFlight);
            }

            public void Completed(TrainingReport report)
            {
                line.Completed(report);
                hold.Report = report;
                hold.RunEndedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
    }
}
