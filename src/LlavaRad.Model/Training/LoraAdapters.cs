using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LlavaRad.Model.Training;

/// <summary>
/// LoRA on every linear layer of the language model (q, k, v, o, gate, up, down; not lm_head), as LLaVA-Rad's stage 2
/// (peft, find_all_linear_names). Instead of hooking the Linear layers, the adapter reparametrises the named weight:
/// W_eff = W + (alpha / r) * B @ A, with A: [r, in] random and B: [out, r] zero, so training starts at the base model
/// and merging is the same sum done once.
/// </summary>
public sealed class LoraAdapters : IDisposable
{
    private static readonly string[] Targets =
        ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];

    private readonly Dictionary<string, (Parameter A, Parameter B)> _adapters = new(StringComparer.Ordinal);

    public LoraAdapters(TrainableParameters model, int rank, double alpha, ulong seed)
    {
        Rank = rank;
        Scale = alpha / rank;
        var generator = new torch.Generator(seed);
        for (var i = 0; i < model.Config.TextConfig.NumHiddenLayers; i++)
            foreach (var target in Targets)
            {
                var name = $"model.layers.{i}.{target}.weight";
                var shape = model.All[name].shape; // [out, in]
                var a = new Parameter(randn([rank, shape[1]], generator: generator).div_(Math.Sqrt(shape[1])));
                var b = new Parameter(zeros([shape[0], rank]));
                _adapters[name] = (a, b);
            }
    }

    public int Rank { get; }
    public double Scale { get; }

    public IEnumerable<Parameter> Parameters => _adapters.Values.SelectMany(p => new[] { p.A, p.B });

    /// <summary>The base weights with every adapted weight replaced by W + scale * B @ A (differentiable in A and B).</summary>
    public Dictionary<string, Tensor> Apply(IReadOnlyDictionary<string, Tensor> baseWeights)
    {
        var effective = new Dictionary<string, Tensor>(baseWeights, StringComparer.Ordinal);
        foreach (var (name, (a, b)) in _adapters)
            effective[name] = baseWeights[name] + Scale * b.matmul(a);
        return effective;
    }

    /// <summary>Adds the adapters into the base parameters for good (peft merge_and_unload).</summary>
    public void MergeInto(TrainableParameters model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, (a, b)) in _adapters)
            model.All[name].add_(b.matmul(a).mul_(Scale));
    }

    public void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
    }
}
