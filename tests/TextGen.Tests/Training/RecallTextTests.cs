// The recall task's text: every line is where its query says, the draws are seeded and uniform, the filler says nothing
// about the key, and bad settings fail with a message that names the fix.
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class RecallTextTests
{
    [Fact]
    public void Every_line_holds_the_key_the_filler_the_cue_and_the_key_again_where_its_query_says()
    {
        var recall = RecallText.Generate(200, [1, 4, 9, 30], seed: 3);
        Assert.Equal(200, recall.Queries.Count);
        int lineStart = 0;
        foreach (var q in recall.Queries)
        {
            Assert.Equal(lineStart, q.Position - q.Distance - 2);                     // the line starts with its key
            Assert.Equal(q.Answer, recall.Text[lineStart]);
            Assert.Contains(q.Answer, RecallText.DefaultKeys);
            Assert.All(recall.Text.Substring(lineStart + 1, q.Distance), c => Assert.Contains(c, RecallText.DefaultFiller));
            Assert.Equal('=', recall.Text[q.Position - 1]);
            Assert.Equal(q.Answer, recall.Text[q.Position]);
            Assert.Equal('\n', recall.Text[q.Position + 1]);
            lineStart = q.Position + 2;
        }
        Assert.Equal(recall.Text.Length, lineStart);                                    // nothing else in the text
        Assert.Equal([1, 4, 9, 30], recall.Distances);
    }

    [Fact]
    public void The_same_seed_gives_the_same_text_and_another_seed_another()
    {
        var a = RecallText.Generate(50, [5, 10], seed: 7);
        var b = RecallText.Generate(50, [5, 10], seed: 7);
        var c = RecallText.Generate(50, [5, 10], seed: 8);
        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.Queries, b.Queries);
        Assert.NotEqual(a.Text, c.Text);
    }

    [Fact]
    public void Distances_are_shared_evenly_among_the_lines_in_a_shuffled_order()
    {
        var recall = RecallText.Generate(103, [3, 7, 11], seed: 1);
        var counts = recall.Queries.GroupBy(q => q.Distance).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(35, counts[3]);
        Assert.Equal(34, counts[7]);
        Assert.Equal(34, counts[11]);
        // Not the cycle 3, 7, 11, 3, ... the lines were laid out in before shuffling.
        Assert.Contains(recall.Queries.Select((q, i) => q.Distance != new[] { 3, 7, 11 }[i % 3]), differs => differs);
    }

    [Fact]
    public void Keys_are_drawn_uniformly_and_the_filler_says_nothing_about_the_key()
    {
        var recall = RecallText.Generate(16_000, [8], seed: 11);
        int k = RecallText.DefaultKeys.Length, f = RecallText.DefaultFiller.Length;
        foreach (var group in recall.Queries.GroupBy(q => q.Answer))
        {
            double share = (double)group.Count() / recall.Queries.Count;
            Assert.InRange(share, 1.0 / k - 0.012, 1.0 / k + 0.012);                   // 4.5 standard deviations
            // Under every key each filler character keeps its share 1/F: the filler is drawn apart from the key.
            var filler = string.Concat(group.Select(q => recall.Text.Substring(q.Position - 1 - q.Distance, q.Distance)));
            foreach (char c in RecallText.DefaultFiller)
                Assert.InRange((double)filler.Count(x => x == c) / filler.Length, 1.0 / f - 0.02, 1.0 / f + 0.02);
        }
        Assert.Equal(k, recall.Queries.Select(q => q.Answer).Distinct().Count());
    }

    [Theory]
    [InlineData("ABCDEFGH", 0.125)]
    [InlineData("xy", 0.5)]
    [InlineData("QRSTU", 0.2)]
    public void Chance_is_one_over_the_number_of_keys_and_its_loss_is_ln_of_that_number(string keys, double chance)
    {
        var recall = RecallText.Generate(10, [2], seed: 1, keys: keys, filler: "01");
        Assert.Equal(chance, recall.ChanceAccuracy, 12);
        Assert.Equal(Math.Log(keys.Length), recall.ChanceLoss, 12);
    }

    [Theory]
    [InlineData(0, new[] { 5 }, "AB", "cd", "lines")]
    [InlineData(10, new int[0], "AB", "cd", "no distances")]
    [InlineData(10, new[] { 5, 0 }, "AB", "cd", "distance 0")]
    [InlineData(10, new[] { 5 }, "A", "cd", "at least 2 distinct")]
    [InlineData(10, new[] { 5 }, "AA", "cd", "at least 2 distinct")]
    [InlineData(10, new[] { 5 }, "AB", "", "filler")]
    [InlineData(10, new[] { 5 }, "AB", "cB", "both a key and filler")]
    [InlineData(10, new[] { 5 }, "A=", "cd", "reserved")]
    [InlineData(10, new[] { 5 }, "AB", "c\n", "reserved")]
    public void Bad_settings_fail_with_a_message_that_names_the_problem(int lines, int[] distances, string keys, string filler, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => RecallText.Generate(lines, distances, 1, keys, filler));
        Assert.Contains(expected, e.Message);
    }
}
