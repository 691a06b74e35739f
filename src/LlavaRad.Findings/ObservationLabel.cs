namespace LlavaRad.Findings;

/// <summary>One observation's label and the sentence that decided it (null when blank or derived by a rule).</summary>
/// <param name="Cue">The cue that set a negative/uncertain status (e.g. "cannot be excluded"), or the rule name; null otherwise.</param>
public sealed record ObservationLabel(Observation Observation, FindingStatus Status, string? EvidenceSentence, string? Cue = null);
