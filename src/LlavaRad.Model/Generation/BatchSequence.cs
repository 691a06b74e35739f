using System.Diagnostics;
using LlavaRad.Model.Architecture;
using static TorchSharp.torch;

namespace LlavaRad.Model.Generation;

/// <summary>One request inside the continuous batcher, from submission to its result.</summary>
internal sealed class BatchSequence(
    GenerationRequest request, GenerationOptions options, QueueTicket ticket, long arrival, int promptPositions,
    Action<GeneratedToken>? onToken, SequenceState state, CancellationToken cancellationToken)
{
    public GenerationRequest Request { get; } = request;
    public GenerationOptions Options { get; } = options;
    public QueueTicket Ticket { get; } = ticket;
    public long Arrival { get; } = arrival;
    public int PromptPositions { get; } = promptPositions;
    /// <summary>KV positions this sequence may fill: its prompt and every token it may generate.</summary>
    public int Reserved => PromptPositions + Options.MaxNewTokens;
    public Action<GeneratedToken>? OnToken { get; } = onToken;
    public SequenceState State { get; } = state;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public TaskCompletionSource<GenerationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public CancellationTokenRegistration WaitingRegistration { get; set; }

    public long SubmittedAt { get; } = Stopwatch.GetTimestamp();
    public TimeSpan Queue { get; set; }
    public TimeSpan Vision { get; set; }
    public TimeSpan Prefill { get; set; }
    public long? FirstTokenAt { get; set; }

    /// <summary>Spliced prompt embeddings [L, D], owned until prefill ends.</summary>
    public Tensor? Embeds { get; set; }
    /// <summary>Prompt positions already prefilled into <see cref="Staging"/>.</summary>
    public long Prefilled { get; set; }
    public KvCache? Staging { get; set; }

    public void ReleaseTensors()
    {
        Embeds?.Dispose();
        Embeds = null;
        Staging?.Dispose();
        Staging = null;
    }

    public GenerationResult Result()
    {
        var decode = FirstTokenAt is { } first ? Stopwatch.GetElapsedTime(first) : TimeSpan.Zero;
        return State.Result(PromptPositions, new GenerationTimings(Vision, Prefill, decode, Queue));
    }
}
