using LlavaRad.Findings;
using LlavaRad.Findings.Urgency;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Worker.Sinks;

namespace LlavaRad.Worker.Pipeline;

/// <summary>What label + triage decided, in the write-back's terms.</summary>
public sealed record FindingsAssessment(IReadOnlyList<FindingLabel> Findings, WorklistUrgency Urgency, string UrgencyRule);

/// <summary>Stage 6, label + triage: 14 CheXpert-style labels with negation and uncertainty, then the urgency policy.</summary>
public sealed class FindingsAssessor(FindingsTriage triage)
{
    /// <summary>The CheXpert observation names as a code system of this project (no standard code system covers all 14).</summary>
    public const string ObservationSystem = "urn:llavarad:chexpert";

    public FindingsAssessment Assess(GeneratedFindings generated)
    {
        var result = triage.Assess(generated.Text, generated.TokenLogProbabilities);
        var findings = result.Labels.Mentioned
            .Where(l => l.Status is FindingStatus.Positive or FindingStatus.Uncertain)
            .Select(l => new FindingLabel(new CodedConcept(ObservationSystem, l.Observation.ToString(), l.Observation.DisplayName()),
                l.Status == FindingStatus.Positive ? FindingCertainty.Positive : FindingCertainty.Uncertain,
                FindingCodes.Standard(l.Observation)))
            .ToList();
        var urgency = result.Urgency.Level switch
        {
            UrgencyLevel.Stat => WorklistUrgency.Stat,
            UrgencyLevel.Urgent => WorklistUrgency.Urgent,
            _ => WorklistUrgency.Routine,
        };
        return new FindingsAssessment(findings, urgency, result.Urgency.RuleId);
    }
}
