namespace LlavaRad.Inference;

/// <summary>Bound from "Inference:Queue".</summary>
public sealed class QueueOptions
{
    /// <summary>Requests that may wait for the device; one more is refused at once with RESOURCE_EXHAUSTED.</summary>
    public int Capacity { get; set; } = 64;

    /// <summary>Waiting this long is worth one priority level, so routine studies are never starved by urgent ones.</summary>
    public TimeSpan AgingStep { get; set; } = TimeSpan.FromSeconds(30);
}
