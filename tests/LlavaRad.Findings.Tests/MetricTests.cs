using LlavaRad.Findings.Evaluation;

namespace LlavaRad.Findings.Tests;

/// <summary>Expected values come from the independent Python reference (see MetricGoldens) or are computed by hand here.</summary>
public class MetricTests
{
    [Fact]
    public void Tokenizer13aMatchesTheReference()
    {
        var expected = MetricGoldens.Json["tokens_13a"]!.AsArray();
        for (var i = 0; i < MetricGoldens.Pairs.Count; i++)
            Assert.Equal(MetricGoldens.Array<string>(expected[i]), Tokenizer13a.Tokenize(MetricGoldens.Pairs[i].Generated));
    }

    [Theory]
    [MemberData(nameof(MetricGoldens.BleuSubsets), MemberType = typeof(MetricGoldens))]
    public void CorpusBleuMatchesTheReference(string subset)
    {
        var golden = MetricGoldens.Json["bleu"]![subset]!;
        var pairs = MetricGoldens.Array<int>(golden["rows"]).Select(i => MetricGoldens.Pairs[i]).ToList();
        foreach (var (order, key) in new[] { (1, "bleu1"), (4, "bleu4") })
        {
            var score = BleuStatistics.Sum(pairs.Select(p => BleuStatistics.Of(p.Generated, p.Reference, order)), order).Score();
            Assert.Equal(golden[key]!.GetValue<double>(), score, 1e-9);
        }
    }

    [Fact]
    public void RougeLMatchesTheReferenceIncludingEmptyAndIdenticalTexts()
    {
        var expected = MetricGoldens.Array<double>(MetricGoldens.Json["rouge_l"]);
        for (var i = 0; i < MetricGoldens.Pairs.Count; i++)
            Assert.Equal(expected[i], RougeL.FMeasure(MetricGoldens.Pairs[i].Reference, MetricGoldens.Pairs[i].Generated), 1e-12);
        Assert.Equal(1.0, expected[0]); // identical texts
        Assert.Equal(0.0, expected[1]); // empty hypothesis
    }

    [Fact]
    public void LabelF1MatchesScikitLearn()
    {
        var golden = MetricGoldens.Json["label_f1"]!;
        var predicted = MetricGoldens.Matrix(golden["predicted"]);
        var reference = MetricGoldens.Matrix(golden["reference"]);
        var all = Enumerable.Range(0, 14).ToList();
        var five = MetricGoldens.Array<int>(golden["five_columns"]);
        Assert.Equal(ObservationNames.FiveLabelSubset.Select(o => (int)o), five);
        Assert.Equal(golden["micro14"]!.GetValue<double>(), LabelF1.Micro(predicted, reference, all), 1e-12);
        Assert.Equal(golden["macro14"]!.GetValue<double>(), LabelF1.Macro(predicted, reference, all), 1e-12);
        Assert.Equal(golden["micro5"]!.GetValue<double>(), LabelF1.Micro(predicted, reference, five), 1e-12);
        Assert.Equal(golden["macro5"]!.GetValue<double>(), LabelF1.Macro(predicted, reference, five), 1e-12);
    }

    [Fact]
    public void RougeLByHand() =>
        // LCS("a b c d", "a c e") = "a c" = 2; P = 2/3, R = 2/4; F = 2PR/(P+R) = 4/7. Case and punctuation are ignored.
        Assert.Equal(4.0 / 7, RougeL.FMeasure("A, b. C d", "a c e"), 1e-12);

    [Fact]
    public void Bleu1ClipsRepeatedWordsByHand() =>
        // hypothesis "the cat the cat" vs reference "the cat sat": clipped unigram matches 2 of 4 -> 50; no brevity penalty.
        Assert.Equal(50.0, BleuStatistics.Of("the cat the cat", "the cat sat", 1).Score(), 1e-12);

    [Fact]
    public void Bleu4ExpSmoothingByHand()
    {
        // "a b c d" vs "a b d c": p1 = 4/4, p2 = 1/3, p3 = 0/2 -> 1/(2·2), p4 = 0/1 -> 1/(4·1) (each on the 0-100 scale).
        var expected = Math.Pow(100 * (100.0 / 3) * 25 * 25, 0.25);
        Assert.Equal(expected, BleuStatistics.Of("a b c d", "a b d c", 4).Score(), 1e-9);
    }

    [Fact]
    public void BleuIsZeroWhenTheCorpusHasNoFourGramsAndBrevityPenalisesShortOutput()
    {
        Assert.Equal(0.0, BleuStatistics.Of("a b c", "a b c", 4).Score()); // sacreBLEU: no 4-grams at all -> 0
        // "a b" vs "a b c d" at order 1: p1 = 100, BP = exp(1 - 4/2).
        Assert.Equal(100 * Math.Exp(-1), BleuStatistics.Of("a b", "a b c d", 1).Score(), 1e-12);
    }

    [Fact]
    public void PercentileIsNumpysLinearOne()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(2.5, Bootstrap.Percentile(sorted, 50), 1e-12);
        Assert.Equal(1.075, Bootstrap.Percentile(sorted, 2.5), 1e-12); // position 0.075
        Assert.Equal(3.925, Bootstrap.Percentile(sorted, 97.5), 1e-12);
    }

    [Fact]
    public void BootstrapIsReproducibleForASeedAndBracketsItsMedian()
    {
        double[] values = [0.1, 0.9, 0.4, 0.7, 0.3, 0.8, 0.2, 0.6];
        double Mean(IReadOnlyList<int> rows) => rows.Average(i => values[i]);
        var first = Bootstrap.Estimate(values.Length, Mean, 500, seed: 3);
        Assert.Equal(first, Bootstrap.Estimate(values.Length, Mean, 500, seed: 3));
        Assert.NotEqual(first, Bootstrap.Estimate(values.Length, Mean, 500, seed: 4));
        Assert.Equal(values.Average(), first.Value, 1e-12);
        Assert.True(first.Low < first.Median && first.Median < first.High, first.ToString());
        Assert.True(first.Low >= values.Min() && first.High <= values.Max());
    }
}
