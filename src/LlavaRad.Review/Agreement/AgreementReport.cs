using LlavaRad.Findings;

namespace LlavaRad.Review.Agreement;

/// <summary>One finding's agreement: the draft's positives judged against the final report's, by the same labeler.</summary>
/// <param name="Ppv">TP / (TP + FP): of the drafts that called it, how many finals kept it; null when the draft never called it.</param>
/// <param name="Sensitivity">TP / (TP + FN): of the finals that have it, how many drafts had called it; null when no final has it.</param>
public sealed record FindingAgreement(Observation Finding, int TruePositives, int FalsePositives, int FalseNegatives, double? Ppv, double? Sensitivity);

/// <summary>Per pair, what the quality page plots and the metrics export.</summary>
public sealed record PairAgreement(ReviewPair Pair, double NormalisedEditDistance, TimeSpan TimeToSignOff,
    IReadOnlySet<Observation> DraftPositive, IReadOnlySet<Observation> FinalPositive);

/// <summary>
/// Draft-vs-final agreement over a set of pairs. The same rule-based labeler reads both texts; a finding counts as
/// called when labelled positive (uncertain is not a call). Edit distance is Levenshtein over characters divided by
/// the longer text's length (0 = unchanged, 1 = rewritten).
/// </summary>
public sealed class AgreementReport
{
    private static readonly FindingsLabeler Labeler = new();

    private AgreementReport(IReadOnlyList<PairAgreement> pairs, IReadOnlyList<FindingAgreement> findings)
    {
        Pairs = pairs;
        Findings = findings;
    }

    public IReadOnlyList<PairAgreement> Pairs { get; }
    public IReadOnlyList<FindingAgreement> Findings { get; }

    public static AgreementReport Compute(IEnumerable<ReviewPair> pairs)
    {
        var rows = pairs.Select(p => new PairAgreement(p, NormalisedEditDistance(p.DraftText, p.FinalText), p.SignedAt - p.DraftedAt,
            Positives(p.DraftText), Positives(p.FinalText))).ToList();
        var findings = ObservationNames.All.Select(o =>
        {
            int tp = rows.Count(r => r.DraftPositive.Contains(o) && r.FinalPositive.Contains(o));
            int fp = rows.Count(r => r.DraftPositive.Contains(o) && !r.FinalPositive.Contains(o));
            int fn = rows.Count(r => !r.DraftPositive.Contains(o) && r.FinalPositive.Contains(o));
            return new FindingAgreement(o, tp, fp, fn, tp + fp > 0 ? (double)tp / (tp + fp) : null, tp + fn > 0 ? (double)tp / (tp + fn) : null);
        }).ToList();
        return new AgreementReport(rows, findings);
    }

    public static IReadOnlySet<Observation> Positives(string text) =>
        Labeler.Label(text).Mentioned.Where(l => l.Status == FindingStatus.Positive).Select(l => l.Observation).ToHashSet();

    public static double NormalisedEditDistance(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0) return 0;
        // Two rows of the dynamic programme: memory is O(min length), whatever the report sizes.
        if (a.Length < b.Length) (a, b) = (b, a);
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return (double)previous[b.Length] / a.Length;
    }
}
