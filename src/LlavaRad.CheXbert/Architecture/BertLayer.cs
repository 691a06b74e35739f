using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.CheXbert.Architecture;

/// <summary>
/// One post-LayerNorm BERT block (Hugging Face names): self-attention with separate q/k/v, add + LayerNorm, erf-GELU
/// feed-forward, add + LayerNorm.
/// </summary>
public sealed class BertLayer(Weights w, CheXbertConfig config)
{
    public Tensor Forward(Tensor x, Tensor maskBias) // x: [B, S, H]; maskBias: [B, 1, 1, S], 0 or -10000
    {
        var attended = LayerNorm(Linear(SelfAttention(x, maskBias), "attention.output.dense") + x, "attention.output.LayerNorm");
        var hidden = F.gelu(Linear(attended, "intermediate.dense"));                                  // [B, S, I]
        return LayerNorm(Linear(hidden, "output.dense") + attended, "output.LayerNorm");              // [B, S, H]
    }

    private Tensor SelfAttention(Tensor x, Tensor maskBias)
    {
        long b = x.shape[0], s = x.shape[1], heads = config.Heads, size = CheXbertConfig.HeadSize;
        Tensor Split(string name) => Linear(x, "attention.self." + name).view(b, s, heads, size).transpose(1, 2); // [B, h, S, 64]
        var (q, k, v) = (Split("query"), Split("key"), Split("value"));
        // softmax(q k^T / sqrt(64) + maskBias) v, fused: [B, h, S, 64]
        var attended = F.scaled_dot_product_attention(q, k, v, maskBias);
        return attended.transpose(1, 2).reshape(b, s, heads * size);                                  // [B, S, H]
    }

    private Tensor Linear(Tensor x, string name) => F.linear(x, w[name + ".weight"], w[name + ".bias"]);

    private Tensor LayerNorm(Tensor x, string name) =>
        F.layer_norm(x, [x.shape[^1]], w[name + ".weight"], w[name + ".bias"], CheXbertConfig.LayerNormEps);
}
