using LlavaRad.Model.Architecture;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Training;

/// <summary>
/// The LLaVA-Rad forward pass for training, over named weights (parameters, or parameters with LoRA deltas added):
/// the vision trunk and projector are the inference classes themselves; the decoder runs all positions at once with
/// plain causal attention and no KV cache, returning logits for every position. Sequences are right-padded, so a
/// real token never attends to padding and no mask is needed.
/// </summary>
public sealed class TrainingForward(ModelConfig config, IReadOnlyDictionary<string, Tensor> weights, RotaryEmbedding rope)
{
    private readonly Weights _w = new(weights);
    private readonly TextConfig _text = config.TextConfig;

    /// <summary>Vision features at the selected block, CLS dropped: [B, 3, S, S] -> [B, N, Cv].</summary>
    public Tensor VisionFeatures(Tensor pixels) =>
        new VisionTower(_w.Under(CheckpointLayout.VisionPrefix), config.VisionConfig, config.MmVisionSelectLayer).Forward(pixels);

    /// <summary>[B, N, Cv] -> [B, N, D]</summary>
    public Tensor Project(Tensor features) => new MlpProjector(_w.Under("model.mm_projector.")).Forward(features);

    /// <summary>Token embeddings: [T] ids -> [T, D].</summary>
    public Tensor Embed(Tensor ids) => _w["model.embed_tokens.weight"].index_select(0, ids);

    /// <summary>[B, T, D] input embeddings -> [B, T, V] logits.</summary>
    public Tensor Logits(Tensor embeds)
    {
        long b = embeds.shape[0], t = embeds.shape[1];
        var positions = arange(t, device: embeds.device).unsqueeze(0).expand(b, t); // [B, T]
        var x = embeds;
        for (var i = 0; i < _text.NumHiddenLayers; i++)
        {
            var layer = _w.Under($"model.layers.{i}.");
            x = x + Attention(new RmsNorm(layer["input_layernorm.weight"], _text.RmsNormEps).Forward(x), positions, layer.Under("self_attn."));
            x = x + new SwiGluFeedForward(layer.Under("mlp.")).Forward(new RmsNorm(layer["post_attention_layernorm.weight"], _text.RmsNormEps).Forward(x));
        }
        x = new RmsNorm(_w["model.norm.weight"], _text.RmsNormEps).Forward(x);
        return F.linear(x, _w["lm_head.weight"]);
    }

    private Tensor Attention(Tensor x, Tensor positions, Weights w) // [B, T, D] -> [B, T, D]
    {
        long b = x.shape[0], t = x.shape[1], heads = _text.NumAttentionHeads, kvHeads = _text.NumKeyValueHeads, hd = _text.HeadDim;
        var q = rope.Apply(F.linear(x, w["q_proj.weight"]).view(b, t, heads, hd).transpose(1, 2), positions);   // [B, H, T, hd]
        var k = rope.Apply(F.linear(x, w["k_proj.weight"]).view(b, t, kvHeads, hd).transpose(1, 2), positions); // [B, Hkv, T, hd]
        var v = F.linear(x, w["v_proj.weight"]).view(b, t, kvHeads, hd).transpose(1, 2);
        if (heads != kvHeads)
        {
            k = k.repeat_interleave(heads / kvHeads, 1);
            v = v.repeat_interleave(heads / kvHeads, 1);
        }
        var y = F.scaled_dot_product_attention(q, k, v, is_casual: true); // [B, H, T, hd]
        return F.linear(y.transpose(1, 2).reshape(b, t, heads * hd), w["o_proj.weight"]);
    }
}
