using LlavaRad.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlavaRad.Model.Training;

/// <summary>
/// Every weight of the canonical layout as a trainable parameter under its canonical name, so the trained model is
/// saved by writing the dictionary as it is. Initialisation for training from scratch: N(0, 0.02) matrices, zero
/// biases, unit norm scales and unit LayerScale (DINOv2's 1e-5 only suits fine-tuning a pretrained trunk).
/// </summary>
public sealed class TrainableParameters : IDisposable
{
    private TrainableParameters(ModelConfig config, Dictionary<string, Parameter> parameters)
    {
        Config = config;
        All = parameters;
    }

    public ModelConfig Config { get; }
    public IReadOnlyDictionary<string, Parameter> All { get; }

    public static TrainableParameters Initialize(ModelConfig config, ulong seed)
    {
        config.Validate("training config");
        var generator = new torch.Generator(seed);
        var parameters = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var (name, shape) in CheckpointLayout.Expected(config).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Tensor init;
            if (IsScale(name)) init = ones(shape);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) init = zeros(shape);
            else init = randn(shape, generator: generator).mul_(0.02);
            parameters[name] = new Parameter(init, requires_grad: true);
        }
        return new TrainableParameters(config, parameters);
    }

    /// <summary>Parameters whose canonical name starts with any of the prefixes.</summary>
    public IEnumerable<Parameter> Under(params string[] prefixes) =>
        All.Where(p => prefixes.Any(prefix => p.Key.StartsWith(prefix, StringComparison.Ordinal))).Select(p => p.Value);

    public void Freeze() { foreach (var p in All.Values) p.requires_grad = false; }

    public void Unfreeze(IEnumerable<Parameter> parameters) { foreach (var p in parameters) p.requires_grad = true; }

    /// <summary>The weights as plain tensors (what the forward pass indexes by name).</summary>
    public Dictionary<string, Tensor> AsTensors() => All.ToDictionary(p => p.Key, p => (Tensor)p.Value, StringComparer.Ordinal);

    /// <summary>model.safetensors in the canonical layout, tensors in name order (a deterministic file).</summary>
    public void SaveWeights(string path) =>
        SafetensorsWriter.Write(path, All.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.detach())).ToList());

    public void LoadWeights(string path)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in SafetensorsFile.Load(path, SafetensorsFile.ReadHeader(path)))
            using (tensor)
                All[name].copy_(tensor);
    }

    private static bool IsScale(string name) =>
        name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("norm1.weight", StringComparison.Ordinal)
        || name.EndsWith("norm2.weight", StringComparison.Ordinal) || name.EndsWith("layernorm.weight", StringComparison.Ordinal)
        || name.EndsWith(".gamma", StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var p in All.Values) p.Dispose();
    }
}
