namespace LlavaRad.Findings.Evaluation;

/// <summary>
/// The official evaluation's four-class -> 0/1 mappings (CheXbert class order: 0 blank, 1 positive, 2 negative,
/// 3 uncertain): positive -> 1, all else 0; the "+" variant also maps uncertain -> 1.
/// </summary>
public static class LabelBinarization
{
    public static bool[] Positive(IReadOnlyList<FindingStatus> statuses, bool uncertainAsPositive) =>
        statuses.Select(s => s == FindingStatus.Positive || (uncertainAsPositive && s == FindingStatus.Uncertain)).ToArray();
}
