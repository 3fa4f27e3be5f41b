// Memorisation measured: the longest stretch of a generated text that the training text holds word for word.
// A suffix automaton of the generated text (at most 2n states) reads the training text once, keeping the longest
// suffix of what it has read that occurs in the generated text: O(generated + training) time, memory of the
// generated text only, so 10 k generated characters against 700 k of training take tens of milliseconds.
namespace TextGen.Generation;

/// <summary>
/// The longest substring two texts share: its length, its text, and where it starts in each (-1 in both when they
/// share no character).
/// </summary>
public sealed record VerbatimMatch(int Length, string Text, int GeneratedIndex, int TrainingIndex);

/// <summary>
/// Measures copying: the longest substring of a generated text that occurs verbatim in the training text. A model that
/// has learnt the style writes text whose longest copied run is about as long as that of unseen text of the same length
/// (<see cref="ChanceBaseline"/>); a model that memorised writes much longer runs.
/// </summary>
public static class Memorization
{
    /// <summary>
    /// The longest substring of <paramref name="generated"/> that occurs verbatim (character for character) in
    /// <paramref name="training"/>, with where it starts in each (the first such place in the training text).
    /// </summary>
    public static VerbatimMatch LongestVerbatimMatch(string generated, string training)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(training);
        var automaton = new SuffixAutomaton(generated);
        int state = 0, length = 0, bestLength = 0, bestEnd = -1, bestState = 0;
        for (int j = 0; j < training.Length; j++)
        {
            int c = automaton.Symbol(training[j]);
            if (c < 0) { state = 0; length = 0; continue; }
            while (state != 0 && automaton.Next(state, c) < 0)
            {
                state = automaton.Link[state];
                length = automaton.Longest[state];
            }
            int next = automaton.Next(state, c);
            if (next < 0) { state = 0; length = 0; continue; }
            state = next;
            length++;
            if (length > bestLength) (bestLength, bestEnd, bestState) = (length, j, state);
        }
        if (bestLength == 0) return new VerbatimMatch(0, "", -1, -1);
        // Every string of a state ends at the state's first end position in the generated text.
        int generatedStart = automaton.FirstEnd[bestState] - bestLength + 1, trainingStart = bestEnd - bestLength + 1;
        return new VerbatimMatch(bestLength, generated.Substring(generatedStart, bestLength), generatedStart, trainingStart);
    }

    /// <summary>
    /// What chance gives: the same measure for <paramref name="length"/> characters of text the model never trained on,
    /// cut from <paramref name="validation"/> at <paramref name="offset"/>, against <paramref name="training"/>. Compare it
    /// with <see cref="LongestVerbatimMatch"/> of a generated text of that length.
    /// </summary>
    public static VerbatimMatch ChanceBaseline(string validation, int length, string training, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (length < 0 || offset < 0 || offset + (long)length > validation.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"a cut of {length} characters at {offset} does not fit the validation text of {validation.Length}: use a shorter generated text or a longer validation split");
        return LongestVerbatimMatch(validation.Substring(offset, length), training);
    }

    // The suffix automaton of a string (Blumer et al.): state 0 is the empty string; each state is a class of substrings
    // with the same end positions, the longest of length Longest[s]; Link[s] is the state of its longest suffix in another
    // class. Transitions are a dense table over the string's own characters (dozens for text), so a step is one lookup.
    private sealed class SuffixAutomaton
    {
        private readonly int[] symbols = new int[char.MaxValue + 1];   // character -> column of the table, -1 when unused
        private readonly int alphabet;
        private readonly int[] next;
        private int count = 1;

        public readonly int[] Link, Longest, FirstEnd;

        public SuffixAutomaton(string text)
        {
            Array.Fill(symbols, -1);
            foreach (char ch in text) if (symbols[ch] < 0) symbols[ch] = alphabet++;
            alphabet = Math.Max(1, alphabet);
            int capacity = Math.Max(2, 2 * text.Length);
            next = new int[capacity * alphabet];
            Array.Fill(next, -1);
            Link = new int[capacity];
            Longest = new int[capacity];
            FirstEnd = new int[capacity];
            Link[0] = -1;
            int last = 0;
            for (int i = 0; i < text.Length; i++) last = Extend(last, symbols[text[i]], i);
        }

        public int Symbol(char ch) => symbols[ch];

        public int Next(int state, int c) => next[state * alphabet + c];

        private int Extend(int last, int c, int position)
        {
            int cur = count++;
            Longest[cur] = Longest[last] + 1;
            FirstEnd[cur] = position;
            int p = last;
            while (p != -1 && next[p * alphabet + c] < 0)
            {
                next[p * alphabet + c] = cur;
                p = Link[p];
            }
            if (p == -1) { Link[cur] = 0; return cur; }
            int q = next[p * alphabet + c];
            if (Longest[p] + 1 == Longest[q]) { Link[cur] = q; return cur; }
            int clone = count++;
            Array.Copy(next, q * alphabet, next, clone * alphabet, alphabet);
            Longest[clone] = Longest[p] + 1;
            Link[clone] = Link[q];
            FirstEnd[clone] = FirstEnd[q];
            while (p != -1 && next[p * alphabet + c] == q)
            {
                next[p * alphabet + c] = clone;
                p = Link[p];
            }
            Link[q] = clone;
            Link[cur] = clone;
            return cur;
        }
    }
}
