namespace LlavaRad.Inference;

/// <summary>Bound from "Inference:Batching": how many sequences share one decode step, and how big steps may get.</summary>
public sealed class BatchingOptions
{
    /// <summary>Sequences prefilling or decoding at once; also the rows of the preallocated KV pool (each max_position_embeddings long).</summary>
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>Prompt + max-new-token positions all running sequences may reserve together; 0 = no limit beyond the pool.</summary>
    public int MaxBatchTokens { get; set; }

    /// <summary>Prompt positions prefilled per step, so one long prompt delays running decodes by one chunk at most.</summary>
    public int PrefillChunkTokens { get; set; } = 512;
}
