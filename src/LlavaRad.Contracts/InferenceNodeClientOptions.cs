namespace LlavaRad.Contracts;

/// <summary>Bound from "InferenceNode": where the GPU node is and how long the worker waits for it.</summary>
public sealed class InferenceNodeClientOptions
{
    public const string Section = "InferenceNode";

    public Uri Address { get; set; } = new("http://127.0.0.1:50051");
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRequestBytes { get; set; } = 32 * 1024 * 1024;
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Attempts per call (first try included) for UNAVAILABLE and RESOURCE_EXHAUSTED, with backoff.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>PEM CA(s) the node's certificate must chain to (https addresses). Empty: the system trust store.</summary>
    public string NodeCaPath { get; set; } = "";

    /// <summary>PEM client certificate and key for mutual TLS.</summary>
    public string ClientCertificatePath { get; set; } = "";
    public string ClientKeyPath { get; set; } = "";
}
