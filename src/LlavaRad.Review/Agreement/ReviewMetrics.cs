using System.Diagnostics.Metrics;

namespace LlavaRad.Review.Agreement;

/// <summary>
/// Review outcomes for Prometheus, with no PHI: tags are only a decision, a CheXpert finding name and tp/fp/fn.
/// Per-finding PPV = tp / (tp + fp) and sensitivity = tp / (tp + fn) follow from the outcome counter in PromQL.
/// </summary>
public sealed class ReviewMetrics
{
    public const string MeterName = "LlavaRad.Review";
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _findingOutcomes;
    private readonly Histogram<double> _editDistance;
    private readonly Histogram<double> _timeToSignOff;

    public ReviewMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("llavarad.review.decisions", description: "Drafts signed or rejected");
        _findingOutcomes = meter.CreateCounter<long>("llavarad.review.finding.outcomes",
            description: "Per finding, draft vs signed final: tp (both), fp (draft only), fn (final only)");
        _editDistance = meter.CreateHistogram<double>("llavarad.review.edit_distance", description: "Normalised edit distance, draft to final",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1] });
        _timeToSignOff = meter.CreateHistogram<double>("llavarad.review.time_to_signoff", unit: "s", description: "Draft written to signed");
    }

    public void Rejected() => _decisions.Add(1, new KeyValuePair<string, object?>("decision", "rejected"));

    public void Signed(PairAgreement pair)
    {
        _decisions.Add(1, new KeyValuePair<string, object?>("decision", "signed"));
        _editDistance.Record(pair.NormalisedEditDistance);
        _timeToSignOff.Record(Math.Max(0, pair.TimeToSignOff.TotalSeconds));
        foreach (var finding in pair.DraftPositive.Union(pair.FinalPositive))
        {
            var outcome = !pair.FinalPositive.Contains(finding) ? "fp" : !pair.DraftPositive.Contains(finding) ? "fn" : "tp";
            _findingOutcomes.Add(1, new KeyValuePair<string, object?>("finding", finding.ToString()), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
