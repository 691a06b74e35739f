using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>One pre-norm LLaMA block: h = x + attn(norm(x)); out = h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer(Weights w, TextConfig config, RotaryEmbedding rope, int index)
{
    private readonly RmsNorm _attentionNorm = new(w["input_layernorm.weight"], config.RmsNormEps);
    private readonly LlamaAttention _attention = new(w.Under("self_attn."), config, rope, index);
    private readonly RmsNorm _mlpNorm = new(w["post_attention_layernorm.weight"], config.RmsNormEps);
    private readonly SwiGluFeedForward _mlp = new(w.Under("mlp."));

    public Tensor Forward(Tensor x, Tensor positions, IKvCache cache, AttentionMask mask)
    {
        var h = x + _attention.Forward(_attentionNorm.Forward(x), positions, cache, mask);
        return h + _mlp.Forward(_mlpNorm.Forward(h));
    }
}
