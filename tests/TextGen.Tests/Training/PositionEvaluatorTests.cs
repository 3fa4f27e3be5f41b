// Predictions at chosen positions, checked with hand-made models whose answers are known in closed form (a model that
// remembers every key, one that knows only that a key comes, an echo, a uniform one) and against a real model's full
// forward pass; and the recall scores they give.
using TextGen.Nn;
using TextGen.Tensors;
using TextGen.Text;
using TextGen.Training;
using Xunit;

namespace TextGen.Tests.Training;

public class PositionEvaluatorTests
{
    /// <summary>Reads tokens one by one; <see cref="Logits"/> sees the last token and the first token of its line.</summary>
    private abstract class HandModel(int vocabularySize, int lineEnd) : IStepModel
    {
        public int VocabularySize => vocabularySize;
        public StepState CreateState() => new([-1, -1], []);                     // H[0]: last token, H[1]: first token of its line

        public void Feed(StepState state, ReadOnlySpan<int> tokens, Span<float> logits)
        {
            foreach (int t in tokens)
            {
                if (state.H[0] < 0 || (int)state.H[0] == lineEnd) state.H[1] = t;
                state.H[0] = t;
            }
            logits.Clear();
            Logits((int)state.H[0], (int)state.H[1], logits);
        }

        protected abstract void Logits(int last, int lineStart, Span<float> logits);
    }

    /// <summary>After the cue, a logit of <c>confidence</c> on the key its line began with, 0 elsewhere: perfect memory.</summary>
    private sealed class Remembering(int v, int lineEnd, int cue, float confidence) : HandModel(v, lineEnd)
    {
        protected override void Logits(int last, int lineStart, Span<float> logits) { if (last == cue) logits[lineStart] = confidence; }
    }

    /// <summary>After the cue, every key equally likely and the rest almost impossible: it knows a key comes, not which.</summary>
    private sealed class Forgetful(int v, int lineEnd, int cue, int[] keys) : HandModel(v, lineEnd)
    {
        public const float Low = -30f;
        protected override void Logits(int last, int lineStart, Span<float> logits)
        {
            if (last != cue) return;
            logits.Fill(Low);
            foreach (int k in keys) logits[k] = 0;
        }
    }

    /// <summary>Predicts the token it read last.</summary>
    private sealed class Echo(int v) : HandModel(v, -1)
    {
        protected override void Logits(int last, int lineStart, Span<float> logits) => logits[last] = 1;
    }

    private static (RecallText Recall, ITokenizer Tokenizer, int LineEnd, int Cue) Task(int lines = 400)
    {
        var recall = RecallText.Generate(lines, [2, 6, 15], seed: 5);
        var tokenizer = TokenizerFactory.FromText(TokenizerKind.Char, recall.Text);
        return (recall, tokenizer, tokenizer.Vocabulary.IdOf("\n"), tokenizer.Vocabulary.IdOf("="));
    }

    [Fact]
    public void A_model_that_remembers_every_key_scores_one_at_every_distance_with_the_closed_form_loss()
    {
        var (recall, tokenizer, lineEnd, cue) = Task();
        const float confidence = 3f;
        var scores = recall.Evaluate(new Remembering(tokenizer.VocabularySize, lineEnd, cue, confidence), tokenizer);
        Assert.Equal([2, 6, 15], scores.Select(s => s.Distance));
        // p(key) = e^c / (e^c + V - 1), so the loss is ln(1 + (V - 1) e^-c) at every answer.
        double loss = Math.Log(1 + (tokenizer.VocabularySize - 1) * Math.Exp(-confidence));
        foreach (var s in scores)
        {
            Assert.Equal(s.Answers, s.Correct);
            Assert.Equal(1.0, s.Accuracy);
            Assert.Equal(loss, s.Loss, 1e-5);
            Assert.Equal(0.125, s.Chance);
        }
        Assert.Equal(recall.Queries.Count, scores.Sum(s => s.Answers));
    }

    [Fact]
    public void A_model_that_forgets_the_key_pays_ln_K_and_guesses_the_first_key_so_its_accuracy_is_that_keys_share()
    {
        var (recall, tokenizer, lineEnd, cue) = Task(2000);
        int[] keys = recall.Keys.Select(k => tokenizer.Vocabulary.IdOf(k.ToString())).ToArray();
        var scores = recall.Evaluate(new Forgetful(tokenizer.VocabularySize, lineEnd, cue, keys), tokenizer);
        char firstKey = tokenizer.Vocabulary.Tokens[keys.Min()][0];                   // ties go to the lowest id
        int v = tokenizer.VocabularySize, k = keys.Length;
        foreach (var s in scores)
        {
            var answers = recall.Queries.Where(q => q.Distance == s.Distance).ToList();
            Assert.Equal(answers.Count(q => q.Answer == firstKey), s.Correct);
            Assert.Equal(Math.Log(k + (v - k) * Math.Exp(Forgetful.Low)), s.Loss, 1e-5);   // ln K, but for the e^-30 left to the rest
            Assert.InRange(s.Accuracy, recall.ChanceAccuracy - 0.05, recall.ChanceAccuracy + 0.05);
        }
        Assert.Equal(recall.ChanceLoss, scores[0].Loss, 1e-5);
    }

    [Fact]
    public void Each_prediction_sees_exactly_the_tokens_before_its_position()
    {
        var g = new Generator(9);
        var ids = Enumerable.Range(0, 300).Select(_ => g.NextInt(11)).ToArray();
        int[] positions = [1, 2, 17, 18, 150, 299];
        var predictions = PositionEvaluator.Evaluate(new Echo(11), ids, positions);
        Assert.Equal(positions, predictions.Select(p => p.Position));
        foreach (var p in predictions)
        {
            Assert.Equal(ids[p.Position], p.Target);
            Assert.Equal(ids[p.Position - 1], p.Predicted);                       // the echo of the token just before
            Assert.Equal(p.Target == ids[p.Position - 1], p.Correct);
        }
    }

    [Fact]
    public void Equal_logits_give_ln_V_and_the_lowest_id()
    {
        var uniform = new Forgetful(13, lineEnd: -1, cue: -1, keys: []);          // never sees the cue: all logits 0
        var predictions = PositionEvaluator.Evaluate(uniform, [4, 7, 1, 12, 3], [1, 3, 4]);
        Assert.All(predictions, p => Assert.Equal(0, p.Predicted));
        Assert.All(predictions, p => Assert.Equal(-Math.Log(13), p.LogProbability, 1e-6));
    }

    [Theory]
    [InlineData(RecurrentArch.Lstm)]
    [InlineData(RecurrentArch.Gru)]
    [InlineData(RecurrentArch.Rnn)]
    public void Predictions_equal_the_full_forward_pass_of_a_real_model_at_the_same_positions(RecurrentArch arch)
    {
        var model = new CharRnnModel(new CharRnnConfig(9, arch, 4, 12, 1), seed: 3);
        model.Eval();
        var g = new Generator(4);
        var ids = Enumerable.Range(0, 60).Select(_ => g.NextInt(9)).ToArray();
        int[] positions = [1, 5, 6, 30, 59];
        var predictions = PositionEvaluator.Evaluate(new StepSession(model), ids, positions);
        var (logits, _) = model.Forward(ids, 1, ids.Length);                     // (1, 60, 9): row t predicts token t + 1
        var logProbabilities = new float[9];
        foreach (var p in predictions)
        {
            var row = logits.Data.AsSpan((p.Position - 1) * 9, 9);
            Ops.LogSoftmaxRow(row, logProbabilities);
            Assert.Equal(logProbabilities[ids[p.Position]], p.LogProbability, 1e-4);
            Assert.Equal(row.ToArray().ToList().IndexOf(row.ToArray().Max()), p.Predicted);
        }
    }

    [Theory]
    [InlineData(new[] { 0, 3 }, "position 0 is outside")]
    [InlineData(new[] { 2, 10 }, "position 10 is outside")]
    [InlineData(new[] { 3, 3 }, "must increase")]
    [InlineData(new[] { 4, 2 }, "must increase")]
    public void Bad_positions_fail_with_a_message_that_names_them(int[] positions, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => PositionEvaluator.Evaluate(new Echo(5), new int[10], positions));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Recall_scores_need_the_character_tokenizer_and_predictions_at_the_answers()
    {
        var (recall, tokenizer, _, _) = Task(20);
        var words = TokenizerFactory.FromText(TokenizerKind.Word, recall.Text);
        var e = Assert.Throws<ArgumentException>(() => recall.Evaluate(new Echo(words.VocabularySize), words));
        Assert.Contains("character tokenizer", e.Message);
        var ids = tokenizer.EncodeToIds(recall.Text);
        var elsewhere = PositionEvaluator.Evaluate(new Echo(tokenizer.VocabularySize), ids, recall.Queries.Select(q => q.Position - 1).ToList());
        Assert.Contains("do not match", Assert.Throws<ArgumentException>(() => recall.Score(elsewhere)).Message);
    }
}
