using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>LLaMA MLP: down(silu(gate(x)) * up(x)), no biases.</summary>
public sealed class SwiGluFeedForward(Weights w)
{
    public Tensor Forward(Tensor x) => // [B, T, D] -> [B, T, ffn] -> [B, T, D]
        F.linear(F.silu(F.linear(x, w["gate_proj.weight"])) * F.linear(x, w["up_proj.weight"]), w["down_proj.weight"]);
}
