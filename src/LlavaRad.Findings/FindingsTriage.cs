using LlavaRad.Findings.Urgency;

namespace LlavaRad.Findings;

/// <summary>What the worker stores and the FHIR write-back maps: the 14 labels and the urgency decision.</summary>
public sealed record TriageResult(FindingsLabels Labels, UrgencyDecision Urgency);

/// <summary>
/// Findings text (+ the generated tokens' log-probabilities) -> labels -> urgency, in one call. Register one instance
/// per process: the labeler and policy are immutable and thread-safe. When binding <see cref="UrgencyPolicyOptions"/>
/// from configuration, bind onto a fresh instance (the binder appends to existing lists) and fall back to
/// <see cref="UrgencyPolicyOptions.Default"/> when the section is absent.
/// </summary>
public sealed class FindingsTriage(FindingsLabeler labeler, UrgencyPolicy policy)
{
    public FindingsTriage() : this(new FindingsLabeler(), new UrgencyPolicy(UrgencyPolicyOptions.Default())) { }

    public TriageResult Assess(string findingsText, IReadOnlyList<double>? tokenLogProbabilities = null)
    {
        var labels = labeler.Label(findingsText);
        return new TriageResult(labels, policy.Decide(labels, tokenLogProbabilities));
    }
}
