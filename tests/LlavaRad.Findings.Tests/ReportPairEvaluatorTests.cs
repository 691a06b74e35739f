using LlavaRad.Findings.Evaluation;

namespace LlavaRad.Findings.Tests;

public class ReportPairEvaluatorTests
{
    private readonly ReportPairEvaluator _evaluator = new(new FindingsLabeler());

    private static MetricResult Row(EvaluationReport report, string name) => report.Metrics.Single(m => m.Name.StartsWith(name, StringComparison.Ordinal));

    [Fact]
    public void IdenticalTextsScorePerfectlyWithADegenerateInterval()
    {
        var pairs = new[] { "Small left pleural effusion. No pneumothorax.", "Moderate cardiomegaly with pulmonary edema and a right lower lobe consolidation." }
            .Select(t => new ReportPair(t, t)).ToList();
        var report = _evaluator.Evaluate(pairs);
        AllEqual(100, Row(report, "BLEU-4").Estimate);
        AllEqual(1, Row(report, "ROUGE-L").Estimate);
        Assert.Equal(1.0, Row(report, "Micro-F1-14").Estimate.Value);
        Assert.Equal(1.0, Row(report, "Micro-F1-5").Estimate.Value);
    }

    [Fact]
    public void PerFindingF1CountsEachObservationOnItsOwn()
    {
        // Effusion: one hit, one missed (TP 1, FN 1) -> 2/3. Cardiomegaly: called once, never there (FP 1) -> 0.
        var pairs = new List<ReportPair>
        {
            new("Large right pleural effusion.", "Right pleural effusion."),
            new("No pleural effusion.", "Small left pleural effusion."),
            new("Cardiomegaly.", "The heart size is normal."),
        };
        var report = _evaluator.Evaluate(pairs, bootstrapSamples: 10);
        var effusion = report.PerFinding.Single(f => f.Observation == Observation.PleuralEffusion);
        Assert.Equal((2.0 / 3, 2, 1), (effusion.F1, effusion.ReferencePositives, effusion.GeneratedPositives));
        var heart = report.PerFinding.Single(f => f.Observation == Observation.Cardiomegaly);
        Assert.Equal((0.0, 0, 1), (heart.F1, heart.ReferencePositives, heart.GeneratedPositives));
        Assert.Equal(14, report.PerFinding.Count);
    }

    private static void AllEqual(double expected, MetricEstimate estimate)
    {
        foreach (var value in new[] { estimate.Value, estimate.Median, estimate.Low, estimate.High }) Assert.Equal(expected, value, 1e-9);
    }

    [Fact]
    public void TheCorpusLevelValuesAreTheReferenceValues()
    {
        var report = _evaluator.Evaluate(MetricGoldens.Pairs, bootstrapSamples: 50);
        var bleu = MetricGoldens.Json["bleu"]!["all"]!;
        Assert.Equal(bleu["bleu1"]!.GetValue<double>(), Row(report, "BLEU-1").Estimate.Value, 1e-9);
        Assert.Equal(bleu["bleu4"]!.GetValue<double>(), Row(report, "BLEU-4").Estimate.Value, 1e-9);
        Assert.Equal(MetricGoldens.Array<double>(MetricGoldens.Json["rouge_l"]).Average(), Row(report, "ROUGE-L").Estimate.Value, 1e-12);
    }

    [Fact]
    public void LabelF1UsesPositiveAsOneAndNamesTheSubstitute()
    {
        // Reference positive, generated uncertain: uncertain -> 0, so one false negative and micro-F1 0.
        var report = _evaluator.Evaluate([new ReportPair("Possible small left pleural effusion.", "Small left pleural effusion.")], 20);
        Assert.Equal(0.0, Row(report, "Micro-F1-5").Estimate.Value);
        Assert.All(report.Metrics.Where(m => m.Name.Contains("F1")), m => Assert.Contains("substitute for CheXbert", m.Note));
        Assert.Contains(report.NotComputed, s => s.StartsWith("F1-CheXbert: not computed"));
        Assert.Contains(report.NotComputed, s => s.StartsWith("F1-RadGraph: not computed"));
    }

    [Fact]
    public void FiveHundredBootstrapSamplesOverFiveHundredPairsAreQuick()
    {
        var pairs = Enumerable.Range(0, 500).Select(i => MetricGoldens.Pairs[i % MetricGoldens.Pairs.Count]).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = _evaluator.Evaluate(pairs);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Equal(500, report.BootstrapSamples);
    }
}
