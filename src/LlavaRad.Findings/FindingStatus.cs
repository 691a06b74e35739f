namespace LlavaRad.Findings;

/// <summary>CheXpert's four label values. Blank: the text does not mention the observation.</summary>
public enum FindingStatus
{
    Blank,
    Positive,
    Negative,
    Uncertain,
}

public static class FindingStatusNames
{
    /// <summary>"positive", "negative", "uncertain" or "blank": the words `llavarad label` writes.</summary>
    public static string Word(this FindingStatus status) => status.ToString().ToLowerInvariant();
}
