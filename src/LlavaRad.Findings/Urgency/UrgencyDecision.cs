namespace LlavaRad.Findings.Urgency;

/// <summary>
/// The policy's answer for one study: what drives the FHIR Task priority and the priority of follow-up jobs.
/// </summary>
/// <param name="RuleId">The rule that set <paramref name="Level"/>, or <see cref="UrgencyPolicy.DefaultRuleId"/>.</param>
/// <param name="Reason">One line for a human: observation, status, modifier and the evidence sentence.</param>
/// <param name="FiredRuleIds">Every rule that matched, in policy order (the winner included).</param>
public sealed record UrgencyDecision(
    UrgencyLevel Level,
    string RuleId,
    string Reason,
    string? EvidenceSentence,
    IReadOnlyList<string> FiredRuleIds,
    TokenConfidence Confidence);
