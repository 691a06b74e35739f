namespace LlavaRad.Findings.Urgency;

/// <summary>
/// "When <see cref="Observation"/> has one of <see cref="Statuses"/> (and, if any are listed, its evidence sentence
/// contains one of <see cref="AnyModifier"/>), the study is at least <see cref="Level"/>."
/// </summary>
public sealed class UrgencyRule
{
    /// <summary>Recorded with every decision this rule makes, e.g. "pneumothorax-tension".</summary>
    public string Id { get; set; } = "";

    /// <summary>An observation name as CheXpert spells it, e.g. "Pleural Effusion".</summary>
    public string Observation { get; set; } = "";

    public List<FindingStatus> Statuses { get; set; } = [FindingStatus.Positive];

    /// <summary>Words or phrases such as "tension", "large", "new"; empty means the rule needs none.</summary>
    public List<string> AnyModifier { get; set; } = [];

    public UrgencyLevel Level { get; set; } = UrgencyLevel.Urgent;
}
