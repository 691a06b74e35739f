using TorchSharp;

namespace LlavaRad.CheXbert.Architecture;

/// <summary>Named weight tensors seen through a name prefix, e.g. "bert.encoder.layer.3.".</summary>
public sealed class Weights(IReadOnlyDictionary<string, torch.Tensor> tensors, string prefix = "")
{
    public torch.Tensor this[string name] =>
        tensors.TryGetValue(prefix + name, out var t) ? t : throw new KeyNotFoundException($"weight {prefix + name} not loaded");

    public Weights Under(string more) => new(tensors, prefix + more);
}
