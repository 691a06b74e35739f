using System.Text.Json.Nodes;
using LlavaRad.Findings;
using LlavaRad.Findings.Evaluation;

namespace LlavaRad.CheXbert.Tests;

/// <summary>F1-14 / F1-5, micro and macro, with and without "+", against scikit-learn's precision_recall_fscore_support.</summary>
public sealed class CheXbertF1ParityTests
{
    private static readonly string Goldens = Path.Combine(AppContext.BaseDirectory, "Goldens");
    private static readonly JsonNode Golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Goldens, "checkpoint-goldens.json")))!;

    private static List<FindingStatus[]> Rows(JsonNode node) =>
        node.AsArray().Select(r => r!.AsArray().Select(c => (FindingStatus)(int)c!).ToArray()).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScoresFixedLabelRowsAsScikitLearn(bool plus)
    {
        var golden = Golden["random_rows"]!;
        var generated = Rows(golden["generated"]!).Select(r => LabelBinarization.Positive(r, plus)).ToList();
        var reference = Rows(golden["reference"]!).Select(r => LabelBinarization.Positive(r, plus)).ToList();
        var all14 = Enumerable.Range(0, 14).ToList();
        var five = ObservationNames.FiveLabelSubset.Select(o => (int)o).ToList();
        var suffix = plus ? "+" : "";
        Assert.Equal((double)golden["f1"]![$"micro-14{suffix}"]!, LabelF1.Micro(generated, reference, all14), 12);
        Assert.Equal((double)golden["f1"]![$"macro-14{suffix}"]!, LabelF1.Macro(generated, reference, all14), 12);
        Assert.Equal((double)golden["f1"]![$"micro-5{suffix}"]!, LabelF1.Micro(generated, reference, five), 12);
        Assert.Equal((double)golden["f1"]![$"macro-5{suffix}"]!, LabelF1.Macro(generated, reference, five), 12);
    }

    [Fact]
    public void EvaluatesPairsEndToEndAsTheReference()
    {
        var texts = Golden["texts"]!.AsArray().Select(t => (string)t!).ToArray();
        var pairs = texts.Select((t, i) => new ReportPair(t, texts[^(i + 1)])).ToList();
        var labeler = CheXbertLabeler.Load(Path.Combine(Goldens, "chexbert-tiny-zip.pth"), Path.Combine(Goldens, "vocab.txt"));
        var metrics = CheXbertEvaluation.Evaluate(labeler, pairs, bootstrapSamples: 50, batchSize: 3).ToDictionary(m => m.Name);
        foreach (var (key, value) in Golden["pair_f1"]!.AsObject())
        {
            var (average, rest) = (key[..5], key[6..]);
            var name = $"{char.ToUpperInvariant(average[0])}{average[1..]}-F1-{rest} (CheXbert)";
            Assert.Equal((double)value!, metrics[name].Estimate.Value, 12);
        }
        Assert.Equal(8, metrics.Count);
    }
}
