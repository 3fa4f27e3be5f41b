// The longest verbatim copy: against a brute-force longest common substring on random strings, on edge cases, and on
// the real book at the sizes lesson 10 uses (10 k generated characters against 600 k of training text).
using System.Diagnostics;
using TextGen.Generation;
using TextGen.Text;
using Xunit;

namespace TextGen.Tests.Generation;

public class MemorizationTests
{
    // O(n m) dynamic programme: the longest common suffix of every pair of prefixes.
    private static int BruteForce(string a, string b)
    {
        int best = 0;
        var prev = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            var cur = new int[b.Length + 1];
            for (int j = 1; j <= b.Length; j++)
                if (a[i - 1] == b[j - 1]) best = Math.Max(best, cur[j] = prev[j - 1] + 1);
            prev = cur;
        }
        return best;
    }

    private static void AssertConsistent(VerbatimMatch m, string generated, string training)
    {
        Assert.Equal(m.Text.Length, m.Length);
        if (m.Length == 0) { Assert.Equal((-1, -1, ""), (m.GeneratedIndex, m.TrainingIndex, m.Text)); return; }
        Assert.Equal(m.Text, generated.Substring(m.GeneratedIndex, m.Length));
        Assert.Equal(m.Text, training.Substring(m.TrainingIndex, m.Length));
        Assert.Equal(training.IndexOf(m.Text, StringComparison.Ordinal), m.TrainingIndex);   // the first place in the training text
    }

    [Fact]
    public void The_longest_match_equals_a_brute_force_longest_common_substring_on_random_strings()
    {
        var random = new Random(21);
        foreach (var alphabet in new[] { "ab", "abc", "abcdefghij .\n" })
            for (int trial = 0; trial < 400; trial++)
            {
                string Draw(int max) => new(Enumerable.Range(0, random.Next(max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                string generated = Draw(40), training = Draw(120);
                var m = Memorization.LongestVerbatimMatch(generated, training);
                Assert.True(BruteForce(generated, training) == m.Length, $"'{generated}' in '{training}': {m.Length}");
                AssertConsistent(m, generated, training);
            }
    }

    [Fact]
    public void Edge_cases_give_the_lengths_and_places_they_should()
    {
        Assert.Equal(new VerbatimMatch(0, "", -1, -1), Memorization.LongestVerbatimMatch("", "some text"));
        Assert.Equal(new VerbatimMatch(0, "", -1, -1), Memorization.LongestVerbatimMatch("some text", ""));
        Assert.Equal(new VerbatimMatch(0, "", -1, -1), Memorization.LongestVerbatimMatch("abc", "xyz"));
        Assert.Equal(new VerbatimMatch(5, "hello", 0, 0), Memorization.LongestVerbatimMatch("hello", "hello"));
        Assert.Equal(new VerbatimMatch(4, "aaaa", 0, 0), Memorization.LongestVerbatimMatch("aaaa", "aaaaaaa"));
        Assert.Equal(new VerbatimMatch(3, "aaa", 0, 0), Memorization.LongestVerbatimMatch("aaaaaa", "aaa"));
        // the whole generated text, found where it first occurs; characters the generated text never uses break a match
        Assert.Equal(new VerbatimMatch(6, "of the", 0, 4), Memorization.LongestVerbatimMatch("of the", "and of the of the"));
        Assert.Equal(new VerbatimMatch(3, "cat", 4, 1), Memorization.LongestVerbatimMatch("the cat", "acat!sat"));
        Assert.Equal(new VerbatimMatch(1, "é", 1, 0), Memorization.LongestVerbatimMatch("aé", "éz"));
    }

    [Fact]
    public void A_cut_of_the_validation_text_is_the_chance_baseline_and_a_bad_cut_is_refused()
    {
        Assert.Equal(Memorization.LongestVerbatimMatch("ell", "hello"), Memorization.ChanceBaseline("well", 3, "hello", offset: 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Memorization.ChanceBaseline("short", 6, "training"));
        Assert.Contains("validation text of 5", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Memorization.ChanceBaseline("short", 2, "training", offset: 4));
    }

    [Fact]
    public void On_the_book_a_copied_passage_is_found_whole_and_unseen_text_shares_only_a_short_run_quickly()
    {
        TextGen.Tests.Notebooks.Course.EnsureCorpora();
        var austen = Corpus.Load("pride-and-prejudice").Text;
        int cut = (int)(austen.Length * 0.9);
        string training = austen[..cut], validation = austen[cut..];

        // a "generated" text that copies 3,000 characters of the training text inside 10,000 of unseen text
        string generated = validation[..3500] + training.Substring(200_000, 3000) + validation[3500..10_000];
        var watch = Stopwatch.StartNew();
        var copied = Memorization.LongestVerbatimMatch(generated, training);
        watch.Stop();
        Assert.True(copied.Length >= 3000 && copied.Length < 3100, $"{copied.Length}");
        Assert.Contains(training.Substring(200_000, 3000), copied.Text);
        AssertConsistent(copied, generated, training);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"{watch.Elapsed.TotalMilliseconds:F0} ms for 10 k against {training.Length:N0} characters");

        // chance: 2,000 unseen characters share a run of a few words with the book, and not one character more
        var chance = Memorization.ChanceBaseline(validation, 2000, training);
        AssertConsistent(chance, validation[..2000], training);
        Assert.InRange(chance.Length, 15, 80);
        for (int i = 0; i + chance.Length + 1 <= 2000; i++)
            Assert.True(!training.Contains(validation.Substring(i, chance.Length + 1), StringComparison.Ordinal), $"a longer run at {i}");
    }
}
