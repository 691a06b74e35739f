namespace LlavaRad.Findings.Evaluation;

/// <summary>One generated findings text and the radiologist's reference for the same study.</summary>
public sealed record ReportPair(string Generated, string Reference);

/// <summary>One row of the evaluation: the paper's metric name, its scale, the estimate, and what it is (not).</summary>
public sealed record MetricResult(string Name, string Scale, MetricEstimate Estimate, string Note);

public sealed record EvaluationReport(
    int PairCount,
    int BootstrapSamples,
    int Seed,
    IReadOnlyList<MetricResult> Metrics,
    IReadOnlyList<string> NotComputed,
    IReadOnlyList<FindingF1> PerFinding);

/// <summary>F1 of one observation over all pairs (positive -> 1), with how often each side called it positive.</summary>
public sealed record FindingF1(Observation Observation, double F1, int ReferencePositives, int GeneratedPositives);

/// <summary>
/// The paper's report-generation metrics (spec section 7) over (generated, reference) pairs: BLEU-1/BLEU-4
/// (sacreBLEU-compatible), ROUGE-L (rouge_score, no stemming), and label F1 micro/macro over the 14 observations and
/// the 5-label subset with positive -> 1, each with a seeded bootstrap 95% interval. Label F1 uses our rule-based
/// labeler on both texts: a substitute for CheXbert, reported under its own name.
/// </summary>
public sealed class ReportPairEvaluator(FindingsLabeler labeler)
{
    public const string LabelerNote =
        "rule-based labeler (this project) on both texts, positive -> 1; a substitute for CheXbert, not comparable to published F1-CheXbert";

    public static readonly IReadOnlyList<string> NotComputedStatements =
    [
        "F1-CheXbert: not computed. It needs the CheXbert model (BERT-base + 14 heads), which is not available here; "
            + "the F1 rows above come from our rule-based labeler as a substitute.",
        "F1-RadGraph: not computed. It needs the RadGraph entity and relation model, which is not available here; no substitute is reported.",
        "CheXprompt: not computed. It needs GPT-4 as the judge.",
    ];

    public EvaluationReport Evaluate(IReadOnlyList<ReportPair> pairs, int bootstrapSamples = 500, int seed = 3)
    {
        if (pairs.Count == 0) throw new ArgumentException("no (generated, reference) pairs to evaluate", nameof(pairs));

        var bleu1 = pairs.Select(p => BleuStatistics.Of(p.Generated, p.Reference, 1)).ToArray();
        var bleu4 = pairs.Select(p => BleuStatistics.Of(p.Generated, p.Reference, 4)).ToArray();
        var rouge = pairs.Select(p => RougeL.FMeasure(p.Reference, p.Generated)).ToArray();
        var predicted = pairs.Select(p => PositiveVector(p.Generated)).ToList();
        var reference = pairs.Select(p => PositiveVector(p.Reference)).ToList();
        var all14 = ObservationNames.All.Select(o => (int)o).ToList();
        var five = ObservationNames.FiveLabelSubset.Select(o => (int)o).ToList();

        MetricEstimate Boot(Func<IReadOnlyList<int>, double> metric) => Bootstrap.Estimate(pairs.Count, metric, bootstrapSamples, seed);
        const string bleuNote = "sacreBLEU-compatible corpus BLEU: 13a tokenizer, exp smoothing, case-sensitive";
        var metrics = new List<MetricResult>
        {
            new("BLEU-1", "0-100", Boot(rows => BleuStatistics.Sum(rows.Select(i => bleu1[i]), 1).Score()), bleuNote),
            new("BLEU-4", "0-100", Boot(rows => BleuStatistics.Sum(rows.Select(i => bleu4[i]), 4).Score()), bleuNote),
            new("ROUGE-L", "0-1", Boot(rows => rows.Average(i => rouge[i])), "mean per-pair F-measure, rouge_score tokenizer, no stemming"),
            new("Micro-F1-14 (rule-based)", "0-1", Boot(rows => LabelF1.Micro(predicted, reference, all14, rows)), LabelerNote),
            new("Macro-F1-14 (rule-based)", "0-1", Boot(rows => LabelF1.Macro(predicted, reference, all14, rows)), LabelerNote),
            new("Micro-F1-5 (rule-based)", "0-1", Boot(rows => LabelF1.Micro(predicted, reference, five, rows)), LabelerNote),
            new("Macro-F1-5 (rule-based)", "0-1", Boot(rows => LabelF1.Macro(predicted, reference, five, rows)), LabelerNote),
        };
        var perFinding = ObservationNames.All.Select(o => new FindingF1(o, LabelF1.Micro(predicted, reference, [(int)o]),
            reference.Count(r => r[(int)o]), predicted.Count(p => p[(int)o]))).ToList();
        return new EvaluationReport(pairs.Count, bootstrapSamples, seed, metrics, NotComputedStatements, perFinding);
    }

    /// <summary>The paper's "rrg" binarisation: positive -> 1; blank, negative and uncertain -> 0.</summary>
    private bool[] PositiveVector(string text)
    {
        var labels = labeler.Label(text);
        return ObservationNames.All.Select(o => labels.StatusOf(o) == FindingStatus.Positive).ToArray();
    }
}
