namespace LlavaRad.Model;

/// <summary>A model directory that cannot be served; <see cref="Code"/> is the coded reason for operators.</summary>
public sealed class InvalidModelException(string code, string message) : Exception(message)
{
    public const string MissingFile = "model-file-missing";
    public const string BadConfig = "model-config-invalid";
    public const string BadWeights = "model-weights-invalid";
    /// <summary>A tensor is missing, unexpected, or has a shape or dtype the config does not imply.</summary>
    public const string WeightsMismatch = "model-weights-mismatch";
    public const string BadTokenizer = "model-tokenizer-invalid";
    /// <summary>The weights' licence restricts them to research use and the operator has not acknowledged that.</summary>
    public const string LicenceNotAcknowledged = "model-licence-not-acknowledged";
    public const string MemoryPlanExceedsDevice = "model-memory-plan-exceeds-device";

    public string Code { get; } = code;
}
