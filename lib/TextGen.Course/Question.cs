// Multiple-choice questions in the course's style: a level, choices, the answer, a one-line hint,
// the common mistake behind each wrong choice, and a worked solution in steps.
namespace TextGen.Course;

/// <summary>How hard a question is.</summary>
public enum Level
{
    /// <summary>Recall of a definition or a shape.</summary>
    Easy,
    /// <summary>Applying an idea to a small case.</summary>
    Medium,
    /// <summary>Reasoning across several ideas.</summary>
    Hard,
}

/// <summary>A multiple-choice question; <see cref="Answer"/> is the 1-based number of the right choice.</summary>
public sealed record Question(
    string Id,
    Level Level,
    string Text,
    IReadOnlyList<string> Choices,
    int Answer,
    string Hint,
    IReadOnlyDictionary<int, string> Mistakes,
    IReadOnlyList<string> Solution)
{
    /// <summary>True when the question asks about what the lesson's own cells printed above it, not about a definition.</summary>
    public bool AboutOutput { get; init; }

    /// <summary>Throws unless the answer and the mistakes point at existing choices.</summary>
    public void Validate()
    {
        if (Choices.Count < 2) throw new ArgumentException($"question {Id}: needs at least two choices");
        if (Answer < 1 || Answer > Choices.Count) throw new ArgumentException($"question {Id}: answer {Answer} is not one of the choices 1-{Choices.Count}");
        foreach (var k in Mistakes.Keys)
            if (k < 1 || k > Choices.Count || k == Answer) throw new ArgumentException($"question {Id}: mistake for choice {k} is not a wrong choice");
    }
}
