using LlavaRad.Inference.Security;

namespace LlavaRad.Inference;

/// <summary>Bound from the "Inference" configuration section.</summary>
public sealed class InferenceNodeOptions
{
    public const string Section = "Inference";

    /// <summary>Canonical model directory (config.json, tokenizer.model, safetensors).</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Largest request accepted: one raw 8-bit 4k x 4k radiograph is 16 MiB, so 32 MiB leaves headroom.</summary>
    public int MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    public QueueOptions Queue { get; set; } = new();

    /// <summary>TLS for the node's endpoints; patient pixels cross this link, so production sets it.</summary>
    public NodeTlsOptions Tls { get; set; } = new();
}
