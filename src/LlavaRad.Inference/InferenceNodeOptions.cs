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

    /// <summary>libtorch's intra-op (OpenMP) threads; 0 = libtorch's default (the physical cores). Fewer leaves cores to neighbours.</summary>
    public int Threads { get; set; }

    public ImageLimitsOptions Images { get; set; } = new();

    /// <summary>"Inference:Model": the operator's acknowledgement of the weights' terms.</summary>
    public ModelTermsOptions Model { get; set; } = new();

    /// <summary>
    /// Memory the node may plan for on its device, in bytes; 0 = what the process may use on the CPU (container limit
    /// included), and unchecked on CUDA, whose free memory TorchSharp does not report: set it there.
    /// </summary>
    public long DeviceMemoryBytes { get; set; }

    public QueueOptions Queue { get; set; } = new();

    public BatchingOptions Batching { get; set; } = new();

    /// <summary>
    /// Plain HTTP/1.1 endpoint for Prometheus (/metrics) and probes (/health/live, /health/ready), e.g.
    /// http://127.0.0.1:9464; the gRPC port may be h2c-only, which scrapers and kubelets cannot speak. Empty = off.
    /// </summary>
    public string ObservabilityUrl { get; set; } = "";

    /// <summary>On shutdown: how long accepted requests may still finish before the rest are cut off (UNAVAILABLE).</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run one short generation after loading, before reporting SERVING (first-call latency, early failure).</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>TLS for the node's endpoints; patient pixels cross this link, so production sets it.</summary>
    public NodeTlsOptions Tls { get; set; } = new();
}
