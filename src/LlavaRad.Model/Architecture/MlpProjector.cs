using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>LLaVA's "mlp2x_gelu": Linear(vision width -> text width), exact GELU, Linear(text width -> text width).</summary>
public sealed class MlpProjector(Weights w)
{
    public Tensor Forward(Tensor features) // [B, N, Cv] -> [B, N, D]
    {
        var x = F.gelu(F.linear(features, w["0.weight"], w["0.bias"]));
        return F.linear(x, w["2.weight"], w["2.bias"]);
    }
}
