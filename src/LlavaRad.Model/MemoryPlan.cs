using LlavaRad.Model.Architecture;

namespace LlavaRad.Model;

/// <summary>
/// What a node needs on its device before it loads anything, from config.json and the batching settings alone:
/// the weights it will load (the vision blocks after mm_vision_select_layer are skipped), the KV pool (MaxBatchSize
/// rows of max_position_embeddings positions, keys and values, every layer, in the model's dtype), the largest
/// working set of one step (the vision tower on one image, or one prefill chunk attending over a full row), and the
/// runtime's own overhead. Estimates, in bytes; docs/operations.md works the 7B plan through by hand.
/// </summary>
public sealed record MemoryPlan(long WeightBytes, long KvPoolBytes, long ActivationBytes, long RuntimeBytes)
{
    /// <summary>libtorch, the .NET runtime and (on CUDA) the context: measured at a few hundred MiB; rounded up.</summary>
    public const long RuntimeOverheadBytes = 512L << 20;

    public long TotalBytes => WeightBytes + KvPoolBytes + ActivationBytes + RuntimeBytes;

    public static MemoryPlan For(ModelConfig config, long elementBytes, int maxBatchSize, int prefillChunkTokens) => new(
        WeightBytes: checked(WeightCount(config) * elementBytes),
        KvPoolBytes: checked(KvBytesPerPosition(config.TextConfig, elementBytes) * maxBatchSize * config.TextConfig.MaxPositionEmbeddings),
        ActivationBytes: Math.Max(VisionPeak(config.VisionConfig, elementBytes), PrefillPeak(config.TextConfig, elementBytes, prefillChunkTokens)),
        RuntimeBytes: RuntimeOverheadBytes);

    /// <summary>Keys and values of one position in every layer.</summary>
    public static long KvBytesPerPosition(TextConfig t, long elementBytes) =>
        2L * t.NumHiddenLayers * t.NumKeyValueHeads * t.HeadDim * elementBytes;

    public static long WeightCount(ModelConfig config) =>
        TextWeights(config.TextConfig) + VisionWeights(config) + ProjectorWeights(config);

    /// <summary>The LLaMA decoder's parameters (Vicuna-7B: 6,738,415,616, the published LLaMA-2-7B count).</summary>
    public static long TextWeights(TextConfig t)
    {
        long h = t.HiddenSize, kv = (long)t.NumKeyValueHeads * t.HeadDim;
        var attention = 2 * h * h + 2 * h * kv;            // q, o: h×h; k, v: h×(kv heads × head dim)
        var mlp = 3 * h * t.IntermediateSize;               // gate, up, down
        var layer = attention + mlp + 2 * h;                // + input and post-attention RMSNorm
        return 2L * t.VocabSize * h + t.NumHiddenLayers * layer + h; // embed_tokens, lm_head, layers, final norm
    }

    private static long VisionWeights(ModelConfig config)
    {
        var v = config.VisionConfig;
        long d = v.HiddenSize, m = v.IntermediateSize;
        var embeddings = 3L * v.PatchSize * v.PatchSize * d + d + d + (v.NumPatches + 1L) * d; // patch conv + bias, CLS, positions
        var block = 2 * d + (3 * d * d + 3 * d) + (d * d + d) + d + 2 * d + (d * m + m) + (m * d + d) + d; // norm1, qkv, proj, ls1, norm2, fc1, fc2, ls2
        return embeddings + VisionTower.BlocksComputed(v, config.MmVisionSelectLayer) * block;
    }

    private static long ProjectorWeights(ModelConfig config)
    {
        long cv = config.VisionConfig.HiddenSize, h = config.TextConfig.HiddenSize;
        return cv * h + h + h * h + h;
    }

    // One image: attention scores and their softmax over all tokens, the MLP's hidden rows, a few residual copies.
    private static long VisionPeak(VisionConfig v, long e)
    {
        long tokens = v.NumPatches + 1L;
        return e * (2 * v.NumAttentionHeads * tokens * tokens + 2 * tokens * v.IntermediateSize + 4 * tokens * v.HiddenSize);
    }

    // One prefill chunk against a full row: scores and softmax, gate/up/product rows, residual copies, one row of fp32 logits.
    private static long PrefillPeak(TextConfig t, long e, int chunk) =>
        e * (2L * t.NumAttentionHeads * chunk * t.MaxPositionEmbeddings + 3L * chunk * t.IntermediateSize + 4L * chunk * t.HiddenSize)
        + 4L * t.VocabSize;

    public string Describe() =>
        $"weights {GiB(WeightBytes)}, KV pool {GiB(KvPoolBytes)}, activations {GiB(ActivationBytes)}, runtime {GiB(RuntimeBytes)}: {GiB(TotalBytes)} in all";

    public static long ElementBytes(TorchSharp.torch.ScalarType dtype) => dtype switch
    {
        TorchSharp.torch.ScalarType.Float32 => 4,
        TorchSharp.torch.ScalarType.Float16 or TorchSharp.torch.ScalarType.BFloat16 => 2,
        _ => throw new ArgumentException($"{dtype} is not a model dtype"),
    };

    public static string GiB(long bytes) => $"{bytes / (double)(1L << 30):F2} GiB";
}
