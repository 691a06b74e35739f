namespace LlavaRad.Model.Generation;

/// <summary>Limits of the continuous batcher (bound by the node from "Inference:Batching").</summary>
public sealed record BatcherOptions
{
    /// <summary>Sequences in flight at once (prefilling + decoding); also the rows of the preallocated KV pool.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// Token budget: the positions (prompt + max new tokens) reserved by all sequences in flight together. A request
    /// is admitted only when its reservation fits; 0 = MaxBatchSize x max_position_embeddings (no extra limit).
    /// </summary>
    public int MaxBatchTokens { get; init; }

    /// <summary>Prompt positions prefilled per scheduler step, so a long prompt delays running decodes by one chunk at most.</summary>
    public int PrefillChunkTokens { get; init; } = 512;

    /// <summary>Requests that may wait while every slot is busy; one more is refused at once (0 = never wait).</summary>
    public int QueueCapacity { get; init; } = 64;

    public void Validate()
    {
        if (MaxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), $"max batch size must be at least 1, not {MaxBatchSize}");
        if (MaxBatchTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxBatchTokens), $"max batch tokens must be 0 (no limit) or positive, not {MaxBatchTokens}");
        if (PrefillChunkTokens < 1) throw new ArgumentOutOfRangeException(nameof(PrefillChunkTokens), $"prefill chunk must be at least 1 token, not {PrefillChunkTokens}");
        if (QueueCapacity < 0) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), $"queue capacity must not be negative, not {QueueCapacity}");
    }
}

/// <summary>
/// Where a request goes in the waiting line: lower <see cref="OrderKey"/> first, then arrival. The caller folds
/// priority and aging into the key; <see cref="Priority"/> is only a metrics label.
/// </summary>
public sealed record QueueTicket(long OrderKey, string Priority);

/// <summary>The waiting line is full; the caller should answer "try later" at once.</summary>
public sealed class QueueFullException(int waiting) : Exception($"{waiting} requests are already waiting")
{
    public int Waiting { get; } = waiting;
}

/// <summary>The batcher is shutting down: the request was not accepted, or was cut off when the grace period ended.</summary>
public sealed class BatcherStoppedException(string message) : Exception(message);
