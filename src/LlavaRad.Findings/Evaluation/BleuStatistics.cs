namespace LlavaRad.Findings.Evaluation;

/// <summary>
/// sacreBLEU's sufficient statistics for one or more (hypothesis, reference) pairs: clipped n-gram matches and
/// hypothesis n-gram totals per order, and the two lengths. Corpus BLEU is computed from their sum, which is what
/// makes a bootstrap over sentences cheap.
/// </summary>
public sealed record BleuStatistics(long[] Correct, long[] Total, long HypothesisLength, long ReferenceLength)
{
    public static BleuStatistics Of(string hypothesis, string reference, int maxOrder)
    {
        var hyp = Tokenizer13a.Tokenize(hypothesis);
        var refTokens = Tokenizer13a.Tokenize(reference);
        var correct = new long[maxOrder];
        var total = new long[maxOrder];
        for (var n = 1; n <= maxOrder; n++)
        {
            var hypCounts = NGramCounts(hyp, n);
            var refCounts = NGramCounts(refTokens, n);
            foreach (var (gram, count) in hypCounts)
            {
                total[n - 1] += count;
                correct[n - 1] += Math.Min(count, refCounts.GetValueOrDefault(gram));
            }
        }
        return new BleuStatistics(correct, total, hyp.Length, refTokens.Length);
    }

    public static BleuStatistics Sum(IEnumerable<BleuStatistics> items, int maxOrder)
    {
        var correct = new long[maxOrder];
        var total = new long[maxOrder];
        long hypLength = 0, refLength = 0;
        foreach (var item in items)
        {
            for (var n = 0; n < maxOrder; n++) { correct[n] += item.Correct[n]; total[n] += item.Total[n]; }
            hypLength += item.HypothesisLength;
            refLength += item.ReferenceLength;
        }
        return new BleuStatistics(correct, total, hypLength, refLength);
    }

    /// <summary>BLEU on sacreBLEU's 0-100 scale with its "exp" smoothing (mteval-v13a: the k-th order without a match gets 1/(2^k·total)).</summary>
    public double Score()
    {
        if (Correct.All(c => c == 0)) return 0;
        var brevityPenalty = HypothesisLength >= ReferenceLength ? 1.0
            : HypothesisLength > 0 ? Math.Exp(1 - (double)ReferenceLength / HypothesisLength) : 0.0;
        var logSum = 0.0;
        var smoothing = 1.0;
        for (var n = 0; n < Correct.Length; n++)
        {
            if (Total[n] == 0) return 0; // sacreBLEU: no n-grams of this order at all -> log(0) -> 0
            double precision;
            if (Correct[n] == 0)
            {
                smoothing *= 2;
                precision = 100.0 / (smoothing * Total[n]);
            }
            else precision = 100.0 * Correct[n] / Total[n];
            logSum += Math.Log(precision);
        }
        return brevityPenalty * Math.Exp(logSum / Correct.Length);
    }

    private static Dictionary<string, long> NGramCounts(string[] tokens, int n)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var gram = string.Join(' ', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}
