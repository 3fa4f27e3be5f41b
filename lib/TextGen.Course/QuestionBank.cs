// The lessons' multiple-choice questions, by id "lesson.number", one file per lesson under Questions/.
// Kept in the library so the notebooks stay short and the tests can check every answer key.
namespace TextGen.Course;

/// <summary>All questions of the course.</summary>
public static partial class QuestionBank
{
    private static readonly Lazy<Dictionary<string, Question>> All = new(() =>
        new[] { Lesson01(), Lesson02(), Lesson03(), Lesson04(), Lesson05(), Lesson06(), Lesson07(), Lesson08(), Lesson09(), Lesson10(), Lesson11() }
            .SelectMany(q => q).ToDictionary(q => q.Id));

    /// <summary>Every question, in id order.</summary>
    public static IReadOnlyList<Question> Questions => All.Value.Values.OrderBy(q => q.Id, StringComparer.Ordinal).ToList();

    /// <summary>The question with this id.</summary>
    public static Question Get(string id) => TryGet(id, out var q) ? q
        : throw new KeyNotFoundException($"no question '{id}'; ids look like \"3.1\" (lesson 3, question 1)");

    /// <summary>Finds the question with this id; false for an unknown or null id.</summary>
    public static bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Question? question)
    {
        question = null;
        return id is not null && All.Value.TryGetValue(id, out question);
    }

    /// <summary>The lessons that have questions, lowest and highest.</summary>
    public static (int First, int Last) Lessons => (Questions.Min(LessonOf), Questions.Max(LessonOf));

    private static int LessonOf(Question q) => int.Parse(q.Id.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static Question Q(string id, Level level, string text, string[] choices, int answer, string hint,
        (int Choice, string Why)[] mistakes, params string[] solution) =>
        new(id, level, text, choices, answer, hint, mistakes.ToDictionary(m => m.Choice, m => m.Why), solution);
}
