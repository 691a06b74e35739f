namespace LlavaRad.Contracts;

/// <summary>Bound from "InferenceNode": where the GPU node is and how long the worker waits for it.</summary>
public sealed class InferenceNodeClientOptions
{
    public const string Section = "InferenceNode";

    public Uri Address { get; set; } = new("http://127.0.0.1:50051");
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRequestBytes { get; set; } = 32 * 1024 * 1024;
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;
}
