using LlavaRad.Contracts;
using LlavaRad.Inference.Errors;
using LlavaRad.Model.Generation;
using Microsoft.Extensions.Options;
using TorchSharp;
using Priority = LlavaRad.Contracts.V1.Priority;

namespace LlavaRad.Inference;

/// <summary>
/// The node's front of the continuous batcher: priorities become queue order (stat &gt; urgent &gt; routine, each
/// <see cref="QueueOptions.AgingStep"/> of waiting worth one level so nothing starves), and the batcher's refusals
/// become coded gRPC statuses: queue-full (RESOURCE_EXHAUSTED), node-stopping and model-loading (UNAVAILABLE).
/// </summary>
public sealed class GenerationScheduler(IOptions<InferenceNodeOptions> options, TimeProvider clock)
{
    private volatile ContinuousBatcher? _batcher;
    private volatile bool _stopping;

    public ContinuousBatcher? Batcher => _batcher;

    public void Attach(ContinuousBatcher batcher) => _batcher = batcher;

    /// <summary>From now on new calls get UNAVAILABLE; accepted ones keep running.</summary>
    public void StopAccepting()
    {
        _stopping = true;
        _batcher?.StopAccepting();
    }

    public bool Stopping => _stopping;

    public static ContinuousBatcher CreateBatcher(LoadedModel loaded, InferenceNodeOptions settings) =>
        new(loaded.Model.Model, loaded.Model.Tokenizer, new BatcherOptions
        {
            MaxBatchSize = settings.Batching.MaxBatchSize,
            MaxBatchTokens = settings.Batching.MaxBatchTokens,
            PrefillChunkTokens = settings.Batching.PrefillChunkTokens,
            QueueCapacity = settings.Queue.Capacity,
        });

    /// <summary>Runs one prepared request; <paramref name="pixels"/> (the model input) stays the caller's to dispose.</summary>
    public async Task<GenerationResult> GenerateAsync(torch.Tensor pixels, IReadOnlyList<long> promptIds, Priority priority,
        GenerationOptions generation, Action<GeneratedToken>? onToken, CancellationToken cancellationToken)
    {
        var ticket = Ticket(priority);
        if (_stopping) throw StoppingFault("the node is shutting down; send the request to another node");
        var batcher = _batcher ?? throw NodeFault.Unavailable(NodeErrorReasons.ModelLoading, "the model is still warming up");
        Task<GenerationResult> running;
        try
        {
            running = batcher.SubmitAsync(new GenerationRequest(pixels, promptIds), generation, ticket, onToken, cancellationToken);
        }
        catch (QueueFullException e)
        {
            throw NodeFault.Create(Grpc.Core.StatusCode.ResourceExhausted, NodeErrorReasons.QueueFull, e.Message,
                [("queue_capacity", options.Value.Queue.Capacity)]);
        }
        catch (ArgumentException e)
        {
            throw NodeFault.InvalidArgument(NodeErrorReasons.RequestTooLong, e.Message, ("max_new_tokens", generation.MaxNewTokens));
        }
        catch (BatcherStoppedException e)
        {
            throw StoppingFault(e.Message);
        }
        try
        {
            return await running;
        }
        catch (BatcherStoppedException e)
        {
            throw StoppingFault(e.Message);
        }
    }

    private static Grpc.Core.RpcException StoppingFault(string detail) => NodeFault.Unavailable(NodeErrorReasons.NodeStopping, detail);

    /// <summary>The queue level of a wire priority (stat 2, urgent 1, routine or unset 0); any other value is priority-invalid.</summary>
    public static (int Level, string Name) Level(Priority priority) => priority switch
    {
        Priority.Stat => (2, "stat"),
        Priority.Urgent => (1, "urgent"),
        Priority.Routine or Priority.Unspecified => (0, "routine"),
        _ => throw NodeFault.InvalidArgument(NodeErrorReasons.PriorityInvalid,
            $"priority {(int)priority} is not one of PRIORITY_UNSPECIFIED (0), ROUTINE (1), URGENT (2), STAT (3)", ("priority", (int)priority)),
    };

    private QueueTicket Ticket(Priority priority)
    {
        var (level, name) = Level(priority);
        return new QueueTicket(OrderKey(clock.GetUtcNow(), level, options.Value.Queue.AgingStep), name);
    }

    /// <summary>Arrival time moved earlier by one aging step per priority level: lower runs first.</summary>
    public static long OrderKey(DateTimeOffset arrived, int level, TimeSpan agingStep) => arrived.UtcTicks - level * agingStep.Ticks;
}
