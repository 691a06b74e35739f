namespace LlavaRad.Findings.Urgency;

/// <summary>How sure the model was of its own words, from the log-probabilities of the generated tokens.</summary>
/// <param name="IsLow">True when the mean or the weakest token is below the policy's threshold; false when unknown.</param>
/// <param name="Reason">Which threshold tripped, or why confidence is unknown.</param>
public sealed record TokenConfidence(int TokenCount, double? MeanLogProbability, double? MinLogProbability, bool IsLow, string Reason)
{
    public static TokenConfidence Assess(IReadOnlyList<double>? logProbabilities, UrgencyPolicyOptions options)
    {
        if (logProbabilities is null || logProbabilities.Count == 0)
            return new TokenConfidence(0, null, null, IsLow: false, "no token log-probabilities were given: confidence unknown");
        if (logProbabilities.Any(p => double.IsNaN(p) || p > 0))
            throw new ArgumentException("token log-probabilities must be numbers <= 0", nameof(logProbabilities));
        var mean = logProbabilities.Average();
        var min = logProbabilities.Min();
        if (mean < options.LowConfidenceMeanTokenLogProbability)
            return new TokenConfidence(logProbabilities.Count, mean, min, IsLow: true,
                $"mean token log-probability {mean:F3} < {options.LowConfidenceMeanTokenLogProbability}");
        if (options.LowConfidenceMinTokenLogProbability is { } floor && min < floor)
            return new TokenConfidence(logProbabilities.Count, mean, min, IsLow: true, $"a token's log-probability {min:F3} < {floor}");
        return new TokenConfidence(logProbabilities.Count, mean, min, IsLow: false, "token log-probabilities above both thresholds");
    }
}
