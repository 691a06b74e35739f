namespace LlavaRad.CheXbert;

/// <summary>A CheXbert vocabulary or checkpoint that cannot be used; <see cref="Code"/> is the coded reason.</summary>
public sealed class CheXbertException(string code, string message) : Exception(message)
{
    public const string VocabularyInvalid = "chexbert-vocab-invalid";
    public const string CheckpointInvalid = "chexbert-checkpoint-invalid";
    /// <summary>A tensor is missing or its shape disagrees with the sizes inferred from the embeddings.</summary>
    public const string WeightsMismatch = "chexbert-weights-mismatch";

    public string Code { get; } = code;
}
