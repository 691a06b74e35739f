using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>The language model (Vicuna = LLaMA-2 architecture): token embedding, decoder layers, final RMSNorm, lm_head.</summary>
public sealed class LlamaDecoder
{
    private readonly Weights _w;
    private readonly LlamaDecoderLayer[] _layers;
    private readonly RmsNorm _norm;

    public LlamaDecoder(Weights w, TextConfig config, Device device)
    {
        _w = w;
        Config = config;
        var rope = new RotaryEmbedding(config.HeadDim, config.MaxPositionEmbeddings, config.RopeTheta, device);
        _layers = Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(w.Under($"model.layers.{i}."), config, rope, i)).ToArray();
        _norm = new RmsNorm(w["model.norm.weight"], config.RmsNormEps);
    }

    public TextConfig Config { get; }

    public Tensor Embed(Tensor ids) // [...] -> [..., D]
    {
        var table = _w["model.embed_tokens.weight"];
        var shape = ids.shape.Append(table.shape[1]).ToArray();
        return table.index_select(0, ids.flatten()).view(shape);
    }

    /// <summary>
    /// Runs T new positions through every layer and appends them to the cache; returns logits of the LAST position
    /// only ([B, V]), which is all generation needs (the full [T, V] product would dominate a 1,426-row prefill).
    /// </summary>
    public Tensor ForwardLast(Tensor embeds, Tensor positions, IKvCache cache, AttentionMask mask)
    {
        var hidden = Forward(embeds, positions, cache, mask);
        return Logits(hidden.narrow(1, hidden.shape[1] - 1, 1).squeeze(1));
    }

    /// <summary>Final-normed hidden states for all T positions: [B, T, D]. One mask, built by the caller, for every layer.</summary>
    public Tensor Forward(Tensor embeds, Tensor positions, IKvCache cache, AttentionMask mask)
    {
        if (mask.NeedsEmptyCache && cache.Length > 0 && embeds.shape[1] > 1)
            throw new InvalidOperationException("several new tokens after a filled cache need an explicit mask");
        var x = embeds;
        foreach (var layer in _layers) x = layer.Forward(x, positions, cache, mask);
        cache.Advance(embeds.shape[1]);
        return _norm.Forward(x);
    }

    public Tensor Logits(Tensor hidden) => F.linear(hidden, _w["lm_head.weight"]); // [..., D] -> [..., V]
}
