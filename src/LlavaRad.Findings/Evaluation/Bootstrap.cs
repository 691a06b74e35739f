namespace LlavaRad.Findings.Evaluation;

/// <summary>A metric on the whole set, and the median and 95% percentile interval of its bootstrap distribution.</summary>
public sealed record MetricEstimate(double Value, double Median, double Low, double High);

/// <summary>
/// Non-parametric bootstrap over pairs: resample the pair indices with replacement, recompute the metric, take
/// percentiles (the paper uses 500 resamples). Seeded, so a report can be reproduced exactly; System.Random's
/// seeded sequence is fixed across .NET versions. The numbers differ from scipy's/sacreBLEU's own resampling.
/// </summary>
public static class Bootstrap
{
    public static MetricEstimate Estimate(int pairCount, Func<IReadOnlyList<int>, double> metric, int samples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var all = Enumerable.Range(0, pairCount).ToArray();
        var random = new Random(seed);
        var distribution = new double[samples];
        var indices = new int[pairCount];
        for (var s = 0; s < samples; s++)
        {
            for (var i = 0; i < pairCount; i++) indices[i] = random.Next(pairCount);
            distribution[s] = metric(indices);
        }
        Array.Sort(distribution);
        return new MetricEstimate(metric(all), Percentile(distribution, 50), Percentile(distribution, 2.5), Percentile(distribution, 97.5));
    }

    /// <summary>numpy's default ("linear") percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        var position = percent / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
