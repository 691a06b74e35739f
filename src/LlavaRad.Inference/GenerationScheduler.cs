using Grpc.Core;
using Priority = LlavaRad.Contracts.V1.Priority;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;
using Microsoft.Extensions.Options;

namespace LlavaRad.Inference;

/// <summary>
/// The node's front of the continuous batcher: priorities become queue order (stat &gt; urgent &gt; routine, each
/// <see cref="QueueOptions.AgingStep"/> of waiting worth one level so nothing starves), and the batcher's refusals
/// become coded gRPC statuses: queue-full (RESOURCE_EXHAUSTED), node-stopping and model-loading (UNAVAILABLE).
/// </summary>
public sealed class GenerationScheduler(IOptions<InferenceNodeOptions> options, TimeProvider clock)
{
    public const string QueueFull = "queue-full";
    public const string NodeStopping = "node-stopping";
    public const string RequestTooLong = "request-too-long";
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

    public async Task<GenerationResult> GenerateAsync(LoadedModel loaded, PixelImage image, string? indication, Priority priority,
        GenerationOptions generation, Action<GeneratedToken>? onToken, CancellationToken cancellationToken)
    {
        if (_stopping) throw new RpcException(new Status(StatusCode.Unavailable, $"{NodeStopping}: the node is shutting down; send the request to another node"));
        var batcher = _batcher ?? throw new RpcException(new Status(StatusCode.Unavailable, "model-loading: the model is still warming up"));
        using var pixels = ImagePreprocessor.ToModelInput(image, loaded.Directory.Config);
        var request = new GenerationRequest(pixels, loaded.Model.PromptIds(indication));
        Task<GenerationResult> running;
        try
        {
            running = batcher.SubmitAsync(request, generation, Ticket(priority), onToken, cancellationToken);
        }
        catch (QueueFullException e)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{QueueFull}: {e.Message}"));
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{RequestTooLong}: {e.Message}"));
        }
        catch (BatcherStoppedException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"{NodeStopping}: {e.Message}"));
        }
        try
        {
            return await running;
        }
        catch (BatcherStoppedException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"{NodeStopping}: {e.Message}"));
        }
    }

    private QueueTicket Ticket(Priority priority)
    {
        var (level, name) = priority switch
        {
            Priority.Stat => (2, "stat"),
            Priority.Urgent => (1, "urgent"),
            _ => (0, "routine"),
        };
        return new QueueTicket(OrderKey(clock.GetUtcNow(), level, options.Value.Queue.AgingStep), name);
    }

    /// <summary>Arrival time moved earlier by one aging step per priority level: lower runs first.</summary>
    public static long OrderKey(DateTimeOffset arrived, int level, TimeSpan agingStep) => arrived.UtcTicks - level * agingStep.Ticks;
}
