namespace LlavaRad.Contracts;

/// <summary>Bound from "InferenceNode": where the GPU node is and how long the worker waits for it.</summary>
public sealed class InferenceNodeClientOptions
{
    public const string Section = "InferenceNode";

    public Uri Address { get; set; } = new("http://127.0.0.1:50051");

    /// <summary>
    /// Several nodes behind one client: calls are spread round-robin, and a node that is unreachable or does not
    /// report SERVING is left out until it does. Empty: <see cref="Address"/> alone. All must share one scheme.
    /// </summary>
    public List<Uri> Addresses { get; set; } = [];

    /// <summary>Deadline of health and model-info calls.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of one Generate, retries included: queueing behind a backlog plus prefill and decode.</summary>
    public TimeSpan GenerateTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A raw 8-bit 4k x 4k radiograph is 16 MiB and an 8192 x 8192 one (the node's pixel limit) 64 MiB; 32 MiB
    /// matches the node's default Inference:MaxRequestBytes. Raise both together.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Findings text with per-token ids and log-probabilities is a few kB; 4 MiB is ample.</summary>
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Attempts per call (first try included) for UNAVAILABLE and RESOURCE_EXHAUSTED, with backoff and jitter.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First retry waits up to this long (random, full jitter); each further retry doubles it up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each node's grpc.health.v1 status is probed when several <see cref="Addresses"/> are set.</summary>
    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PEM CA(s) the node's certificate must chain to (https addresses). Empty: the system trust store.</summary>
    public string NodeCaPath { get; set; } = "";

    /// <summary>PEM client certificate and key for mutual TLS.</summary>
    public string ClientCertificatePath { get; set; } = "";
    public string ClientKeyPath { get; set; } = "";
}
