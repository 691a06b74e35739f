using LlavaRad.Findings;
using LlavaRad.Findings.Evaluation;
using TorchSharp;

namespace LlavaRad.CheXbert;

/// <summary>
/// The official F1-CheXbert (LLaVA-Rad's rrg_eval): CheXbert labels both texts; micro and macro F1 (sklearn's
/// precision_recall_fscore_support) over the 14 conditions and the 5-label subset, positive -> 1, and the "+"
/// variant with uncertain -> 1 too; each with the seeded percentile bootstrap 95% interval.
/// </summary>
public static class CheXbertEvaluation
{
    public const string Note = "CheXbert on both texts (the official evaluation's labeler)";

    public static IReadOnlyList<MetricResult> Evaluate(CheXbertLabeler labeler, IReadOnlyList<ReportPair> pairs, int bootstrapSamples = 500,
        int seed = 3, int batchSize = 16, int threads = 1, Action<string>? progress = null)
    {
        if (pairs.Count == 0) throw new ArgumentException("no (generated, reference) pairs to evaluate", nameof(pairs));
        torch.set_num_threads(threads);
        var texts = pairs.Select(p => p.Generated).Concat(pairs.Select(p => p.Reference)).ToList();
        var statuses = labeler.Label(texts, batchSize, done => progress?.Invoke($"CheXbert: {done}/{texts.Count} reports labelled"))
            .Select(r => r.Classes.Select(c => (FindingStatus)c).ToArray()).ToList();
        var all14 = ObservationNames.All.Select(o => (int)o).ToList();
        var five = ObservationNames.FiveLabelSubset.Select(o => (int)o).ToList();
        var metrics = new List<MetricResult>();
        foreach (var plus in new[] { false, true })
        {
            var vectors = statuses.Select(s => LabelBinarization.Positive(s, plus)).ToList();
            var generated = vectors.Take(pairs.Count).ToList();
            var reference = vectors.Skip(pairs.Count).ToList();
            var suffix = plus ? "+" : "";
            MetricResult Row(string name, Func<IReadOnlyList<int>, double> metric) =>
                new($"{name}{suffix} (CheXbert)", "0-1", Bootstrap.Estimate(pairs.Count, metric, bootstrapSamples, seed),
                    Note + (plus ? ", positive or uncertain -> 1" : ", positive -> 1"));
            metrics.Add(Row("Micro-F1-14", rows => LabelF1.Micro(generated, reference, all14, rows)));
            metrics.Add(Row("Macro-F1-14", rows => LabelF1.Macro(generated, reference, all14, rows)));
            metrics.Add(Row("Micro-F1-5", rows => LabelF1.Micro(generated, reference, five, rows)));
            metrics.Add(Row("Macro-F1-5", rows => LabelF1.Macro(generated, reference, five, rows)));
        }
        return metrics;
    }
}
