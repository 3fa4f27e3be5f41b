// What a whole lesson shares, read once: its budget (full for learners, quick for the lesson tests), the
// training options at that budget, and the namespaces the notebook extension opens for every lesson.
using TextGen.Training;

namespace TextGen.Course;

/// <summary>How much a lesson computes: everything a learner should see, or seconds of it for the tests.</summary>
public enum LessonBudget
{
    /// <summary>The runs the lesson's prose describes.</summary>
    Full,
    /// <summary>Every run shrunk to seconds, so that the tests run all lessons quickly (TEXTGEN_QUICK=1).</summary>
    Quick,
}

/// <summary>Lesson-wide settings: one budget instead of a quick-or-full choice in every training cell.</summary>
public static class Lesson
{
    /// <summary>The environment variable that selects the quick budget (set by <c>textgen notebook run --quick</c> and the tests).</summary>
    public const string QuickVariable = "TEXTGEN_QUICK";

    /// <summary>Steps a training run takes on the quick budget; validation runs twice in them.</summary>
    public const int QuickSteps = 20;

    /// <summary>The budget, read from TEXTGEN_QUICK when the library loads; a learner may set it in a cell.</summary>
    public static LessonBudget Budget { get; set; } = Environment.GetEnvironmentVariable(QuickVariable) == "1" ? LessonBudget.Quick : LessonBudget.Full;

    /// <summary>True on the quick budget.</summary>
    public static bool IsQuick => Budget == LessonBudget.Quick;

    /// <summary>The namespaces every lesson uses; the notebook extension opens them when the package loads.</summary>
    public static IReadOnlyList<string> Namespaces { get; } =
        ["System.IO", "TextGen", "TextGen.Tensors", "TextGen.Nn", "TextGen.Optim", "TextGen.Text", "TextGen.Training", "TextGen.Generation", "TextGen.Viz", "TextGen.Benchmarks", "TextGen.Course"];

    /// <summary>
    /// <paramref name="options"/> at the lesson's budget: unchanged on the full budget; on the quick one a fixed
    /// <see cref="QuickSteps"/> steps with validation every 10, and no time limit (a time limit could end a run on a busy
    /// machine before its first validation).
    /// </summary>
    public static TrainOptions Fit(TrainOptions options) => IsQuick
        ? options with { Steps = Math.Min(options.Steps ?? QuickSteps, QuickSteps), Epochs = null, Minutes = null, EvalInterval = Math.Min(options.EvalInterval, 10) }
        : options;

    /// <summary>A count at the lesson's budget: <paramref name="full"/>, or <paramref name="quick"/> on the quick budget.</summary>
    public static int Pick(int quick, int full) => IsQuick ? quick : full;
}
