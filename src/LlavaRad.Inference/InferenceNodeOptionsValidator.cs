using Microsoft.Extensions.Options;

namespace LlavaRad.Inference;

/// <summary>The node's settings, checked at start (ValidateOnStart): every problem is reported at once, naming the setting.</summary>
public sealed class InferenceNodeOptionsValidator : IValidateOptions<InferenceNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceNodeOptions o)
    {
        var problems = new List<string>();
        if (o.Batching.MaxBatchSize < 1 || o.Batching.PrefillChunkTokens < 1 || o.Batching.MaxBatchTokens < 0)
            problems.Add("Inference:Batching needs MaxBatchSize >= 1, PrefillChunkTokens >= 1 and MaxBatchTokens >= 0");
        if (o.Queue.Capacity < 0 || o.Queue.AgingStep <= TimeSpan.Zero)
            problems.Add("Inference:Queue needs Capacity >= 0 and a positive AgingStep");
        if (o.DeviceMemoryBytes < 0) problems.Add("Inference:DeviceMemoryBytes must not be negative (0 = detect)");
        if (o.Threads < 0) problems.Add("Inference:Threads must not be negative (0 = libtorch's default)");
        if (o.ShutdownGrace < TimeSpan.Zero) problems.Add("Inference:ShutdownGrace must not be negative");
        if (o.Images.MaxPixels < 1 || o.Images.MaxPixels > Array.MaxLength || o.Images.MaxConcurrentDecodes < 1)
            problems.Add($"Inference:Images needs MaxPixels in 1..{Array.MaxLength} and MaxConcurrentDecodes >= 1");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
