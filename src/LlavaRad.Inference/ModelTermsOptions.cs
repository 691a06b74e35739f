namespace LlavaRad.Inference;

/// <summary>Bound from "Inference:Model".</summary>
public sealed class ModelTermsOptions
{
    /// <summary>
    /// Must be true to serve weights whose licence.json says research use only (the official LLaVA-Rad release):
    /// the operator confirms the drafts are not used for clinical decisions. Our own demo model needs none.
    /// </summary>
    public bool AcknowledgeResearchUseOnly { get; set; }
}
