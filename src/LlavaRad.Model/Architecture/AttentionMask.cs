using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// Which keys each new position may attend to. The caller builds it once per forward pass and every layer applies
/// it unchanged, as LLaMA's model.py builds its mask once in Transformer.forward; no layer looks at the cache to
/// guess. Every mask of both generation paths is built here.
/// </summary>
public sealed class AttentionMask
{
    private readonly Tensor? _keep; // [B, 1, T, S] bool, true = may attend
    private readonly bool _causal;

    private AttentionMask(Tensor? keep, bool causal) => (_keep, _causal) = (keep, causal);

    /// <summary>A prompt from an empty cache: each position sees itself and the positions before it (the fused causal kernel).</summary>
    public static readonly AttentionMask Causal = new(null, causal: true);

    /// <summary>One new position per row after the cache: it sees every cached key and itself.</summary>
    public static readonly AttentionMask AllKeys = new(null, causal: false);

    /// <summary>True when only a forward pass from an empty cache may use it.</summary>
    public bool NeedsEmptyCache => _causal;

    /// <summary>A mask already shaped [B, 1, T, S].</summary>
    public static AttentionMask Explicit(Tensor keep) => new(keep, causal: false);

    /// <summary>A chunk of one prompt at positions offset..offset+C-1 after offset cached ones: each sees every key up to its own position ([1, 1, C, offset+C]).</summary>
    public static AttentionMask Chunk(long offset, long chunk, Device device)
    {
        var keys = arange(offset + chunk, device: device).unsqueeze(0);              // [1, S]
        var queries = arange(offset, offset + chunk, device: device).unsqueeze(1);  // [C, 1]
        return Explicit((keys <= queries).view(1, 1, chunk, offset + chunk));
    }

    /// <summary>
    /// A left-padded batch of prompts from an empty cache; <paramref name="real"/> [B, L] is true where a prompt token
    /// sits. Causal among real tokens; padding rows see themselves so that no row of the softmax is empty (no NaN).
    /// </summary>
    public static AttentionMask LeftPaddedPrompts(Tensor real)
    {
        var longest = real.shape[1];
        var causal = ones([longest, longest], ScalarType.Bool, real.device).tril();
        var self = eye(longest, dtype: ScalarType.Bool, device: real.device);
        return Explicit((causal & (real.unsqueeze(1) | self)).unsqueeze(1));           // [B, 1, L, L]
    }

    /// <summary>One new position per row; <paramref name="keys"/> [B, S] is true for the keys that row may see (its own, not padding).</summary>
    public static AttentionMask OneStep(Tensor keys) => Explicit(keys.view(keys.shape[0], 1, 1, keys.shape[1])); // [B, 1, 1, S]

    /// <summary>softmax(q kᵀ / √hd) v under this mask: q [B, H, T, hd], k and v [B, H, S, hd] -> [B, H, T, hd].</summary>
    internal Tensor Attend(Tensor q, Tensor k, Tensor v) =>
        _keep is not null
            ? F.scaled_dot_product_attention(q, k, v, attn_mask: _keep)
            : F.scaled_dot_product_attention(q, k, v, is_casual: _causal && q.shape[2] > 1); // one position has nothing to hide
}
