namespace LlavaRad.Findings.Evaluation;

/// <summary>
/// Multi-label F1 as sklearn's classification_report (zero_division=0) computes it over 0/1 label vectors:
/// micro pools TP/FP/FN over the chosen columns; macro averages per-column F1, a column with no TP scoring 0.
/// </summary>
public static class LabelF1
{
    public static double Micro(IReadOnlyList<bool[]> predicted, IReadOnlyList<bool[]> reference, IReadOnlyList<int> columns, IReadOnlyList<int>? rows = null)
    {
        long tp = 0, fp = 0, fn = 0;
        foreach (var column in columns)
        {
            var (t, p, n) = Counts(predicted, reference, column, rows);
            tp += t; fp += p; fn += n;
        }
        return F1(tp, fp, fn);
    }

    public static double Macro(IReadOnlyList<bool[]> predicted, IReadOnlyList<bool[]> reference, IReadOnlyList<int> columns, IReadOnlyList<int>? rows = null) =>
        columns.Average(column => { var (tp, fp, fn) = Counts(predicted, reference, column, rows); return F1(tp, fp, fn); });

    /// <summary>2TP/(2TP+FP+FN), which equals 2PR/(P+R); 0 when TP is 0 (sklearn's zero_division=0).</summary>
    private static double F1(long tp, long fp, long fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);

    private static (long Tp, long Fp, long Fn) Counts(IReadOnlyList<bool[]> predicted, IReadOnlyList<bool[]> reference, int column, IReadOnlyList<int>? rows)
    {
        long tp = 0, fp = 0, fn = 0;
        var count = rows?.Count ?? predicted.Count;
        for (var i = 0; i < count; i++)
        {
            var row = rows?[i] ?? i;
            var (p, r) = (predicted[row][column], reference[row][column]);
            if (p && r) tp++;
            else if (p) fp++;
            else if (r) fn++;
        }
        return (tp, fp, fn);
    }
}
