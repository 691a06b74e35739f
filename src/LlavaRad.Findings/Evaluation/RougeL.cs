using System.Text.RegularExpressions;

namespace LlavaRad.Findings.Evaluation;

/// <summary>ROUGE-L F-measure as Google's rouge_score computes it without stemming: lower-case a-z0-9 tokens, LCS.</summary>
public static partial class RougeL
{
    public static string[] Tokenize(string text) =>
        NonAlphanumeric().Replace(text.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>0 when either text has no tokens (rouge_score's rule), else 2PR/(P+R) with P = LCS/|hyp|, R = LCS/|ref|.</summary>
    public static double FMeasure(string reference, string hypothesis)
    {
        var target = Tokenize(reference);
        var prediction = Tokenize(hypothesis);
        if (target.Length == 0 || prediction.Length == 0) return 0;
        var lcs = LongestCommonSubsequence(target, prediction);
        var precision = (double)lcs / prediction.Length;
        var recall = (double)lcs / target.Length;
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    }

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var token in a)
        {
            for (var j = 1; j <= b.Length; j++)
                current[j] = token == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
