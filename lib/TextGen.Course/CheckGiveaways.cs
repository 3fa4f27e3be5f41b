// For every check cell, the members that would compute its expected value. A lesson that named one of them before the
// check, or beside it, would let a learner pass by calling it instead of working it out; the lesson tests hold each
// lesson to this list (docs/LESSONS.md, "Check cells"), and a new check must add its line here.
namespace TextGen.Course;

/// <summary>The members ("Type" or "Type.Member") that give each check's answer away, by check id.</summary>
internal static class CheckGiveaways
{
    /// <summary>
    /// Every check's giveaways. An empty list says that nothing but the learner's own reasoning computes the value: the
    /// learner writes a constructor call, reads a table, or applies a rule the lesson derived for other numbers.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ById { get; } = new Dictionary<string, string[]>
    {
        ["1.transpose"] = ["Ops.Transpose"],
        ["1.grad"] = [],                                   // the rule 2 w x² for other numbers than the lesson's
        ["2.targets"] = ["TokenBatches"],                  // its Targets are the inputs shifted by one
        ["2.split"] = ["Corpus.Split"],
        ["3.layer"] = [],                                  // a constructor call with the two sizes in order
        ["3.cost"] = [],                                   // a product of four sizes
        ["4.step"] = ["RnnCell"],                          // its Step is the step the learner writes
        ["4.last"] = [],                                   // an index into the outputs, then the head
        ["5.factor"] = [],                                 // read from the printed table
        ["5.clip"] = ["GradientClipping.ClipGradNorm"],
        ["6.cell"] = ["LstmCell.Step"],
        ["6.forget"] = [],                                 // a slice of the bias, from the gate order
        ["7.epoch"] = ["TokenBatches.StepsPerEpoch"],
        ["7.lnv"] = ["Math.Log"],                          // ln V, printed beside the measured loss
        ["7.xent"] = ["Ops.CrossEntropy", "Ops.OneHot"],   // the library's loss, and the one-hot mask that picks ln p(target)
        ["8.temp"] = ["LogitsSampler.Distribution", "Ops.Softmax"],
        ["8.topk"] = ["LogitsSampler.Distribution", "SamplingOptions.TopK"],
        ["8.fed"] = ["SlidingWindowGenerator.TokensFed", "CountingStepModel.TokensFed"],
        ["9.params"] = ["Module.ParameterCount", "CharRnnConfig.ParameterCount"],
        ["9.bpc"] = ["TrainingReport.BestBitsPerToken"],
        ["10.new"] = [],                                   // a filter the learner writes over the vocabulary
        ["10.lnv"] = ["Math.Log"],
        ["11.gap"] = [],                                   // two means the learner writes
        ["11.bigram"] = ["NGramModel"],                    // it counts the same pairs, with smoothing
        ["11.mask"] = ["Ops.CausalSoftmax", "Ops.Softmax", "CausalSelfAttention"], // each computes the weights
    };

    /// <summary>The giveaways of check <paramref name="id"/>; null for a check that has not declared them.</summary>
    public static string[]? Of(string id) => ById.GetValueOrDefault(id);
}
