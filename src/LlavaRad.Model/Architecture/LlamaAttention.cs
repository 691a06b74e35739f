using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// LLaMA self-attention: q/k/v projections without bias, RoPE on q and k, grouped KV heads (each KV head serves
/// num_attention_heads / num_key_value_heads query heads), scaled-dot-product attention under the caller's mask,
/// output projection.
/// </summary>
public sealed class LlamaAttention(Weights w, TextConfig config, RotaryEmbedding rope, int layer)
{
    private readonly long _heads = config.NumAttentionHeads, _kvHeads = config.NumKeyValueHeads, _hd = config.HeadDim;

    /// <param name="x">[B, T, D]</param>
    /// <param name="positions">[B, T]</param>
    /// <param name="mask">built once per forward pass by the caller, the same for every layer</param>
    public Tensor Forward(Tensor x, Tensor positions, IKvCache cache, AttentionMask mask)
    {
        long b = x.shape[0], t = x.shape[1];
        var q = F.linear(x, w["q_proj.weight"]).view(b, t, _heads, _hd).transpose(1, 2);   // [B, H, T, hd]
        var k = F.linear(x, w["k_proj.weight"]).view(b, t, _kvHeads, _hd).transpose(1, 2); // [B, Hkv, T, hd]
        var v = F.linear(x, w["v_proj.weight"]).view(b, t, _kvHeads, _hd).transpose(1, 2);
        q = rope.Apply(q, positions);
        k = rope.Apply(k, positions);

        (k, v) = cache.Append(layer, k, v); // [B, Hkv, S, hd], S = past + T
        if (_heads != _kvHeads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, 1);
            v = v.repeat_interleave(_heads / _kvHeads, 1);
        }
        var y = mask.Attend(q, k, v).transpose(1, 2).reshape(b, t, _heads * _hd); // [B, H, T, hd] -> [B, T, H*hd]
        return F.linear(y, w["o_proj.weight"]);
    }
}
