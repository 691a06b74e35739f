using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Model;
using LlavaRad.Model.Generation;
using FinishReason = LlavaRad.Model.Generation.FinishReason;
using GenerationOptions = LlavaRad.Model.Generation.GenerationOptions;
using LlavaRad.Model.Preprocessing;
using Microsoft.Extensions.Options;

namespace LlavaRad.Inference.Tests;

/// <summary>The node's scheduler over the real batcher and tiny model: wire priorities, coded refusals.</summary>
public sealed class GenerationSchedulerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));
    private readonly LoadedModel _loaded;
    private static readonly PixelImage Image = new(40, 40, 1, Enumerable.Range(0, 1600).Select(i => (byte)(i % 200)).ToArray());

    public GenerationSchedulerTests()
    {
        TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 11);
        _loaded = new LoadedModel(FindingsModel.Load(_dir.Path, TorchSharp.torch.CPU), new ModelIdentity { ModelId = "tiny" }, "cpu");
    }

    public void Dispose()
    {
        _loaded.Model.Dispose();
        _dir.Dispose();
    }

    private (GenerationScheduler Scheduler, ContinuousBatcher Batcher) Start(int queueCapacity)
    {
        var settings = new InferenceNodeOptions { Queue = new QueueOptions { Capacity = queueCapacity, AgingStep = TimeSpan.FromSeconds(30) } };
        settings.Batching.MaxBatchSize = 1;
        var scheduler = new GenerationScheduler(Options.Create(settings), _clock);
        var batcher = GenerationScheduler.CreateBatcher(_loaded, settings);
        scheduler.Attach(batcher);
        return (scheduler, batcher);
    }

    private async Task<GenerationResult> Generate(GenerationScheduler scheduler, Priority priority, int tokens, Action<GeneratedToken>? onToken = null)
    {
        using var pixels = ImagePreprocessor.ToModelInput(Image, _loaded.Directory.Config);
        return await scheduler.GenerateAsync(pixels, _loaded.Model.PromptIds("cough"), priority, new GenerationOptions { MaxNewTokens = tokens }, onToken, CancellationToken.None);
    }

    [Fact]
    public async Task AStatCallOvertakesRoutineCallsThatQueuedBeforeIt()
    {
        var (scheduler, batcher) = Start(queueCapacity: 8);
        using var _ = batcher;
        using var hold = new ManualResetEventSlim(false);
        var order = new List<string>();
        try
        {
            var blocker = Generate(scheduler, Priority.Routine, 2, _ => hold.Wait());
            await WaitUntil(() => batcher.InFlight == 1);
            var routine1 = Generate(scheduler, Priority.Routine, 1, _ => { lock (order) order.Add("routine-1"); });
            _clock.Advance(TimeSpan.FromSeconds(5));
            var routine2 = Generate(scheduler, Priority.Routine, 1, _ => { lock (order) order.Add("routine-2"); });
            _clock.Advance(TimeSpan.FromSeconds(5));
            var urgent = Generate(scheduler, Priority.Urgent, 1, _ => { lock (order) order.Add("urgent"); });
            var stat = Generate(scheduler, Priority.Stat, 1, _ => { lock (order) order.Add("stat"); });
            await WaitUntil(() => batcher.Waiting == 4);

            hold.Set();
            await Task.WhenAll(blocker, routine1, routine2, urgent, stat);
        }
        finally
        {
            hold.Set();
        }
        Assert.Equal(["stat", "urgent", "routine-1", "routine-2"], order);
    }

    [Fact]
    public async Task AFullQueueAnswersResourceExhaustedAtOnceAndAStoppingNodeUnavailable()
    {
        var (scheduler, batcher) = Start(queueCapacity: 0);
        using var _ = batcher;
        using var hold = new ManualResetEventSlim(false);
        try
        {
            var blocker = Generate(scheduler, Priority.Routine, 2, _ => hold.Wait());
            await WaitUntil(() => batcher.InFlight == 1);

            var full = await Assert.ThrowsAsync<RpcException>(() => Generate(scheduler, Priority.Stat, 1));
            scheduler.StopAccepting();
            var stopping = await Assert.ThrowsAsync<RpcException>(() => Generate(scheduler, Priority.Stat, 1));

            Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
            Assert.Equal(NodeErrorReasons.QueueFull, NodeError.From(full).Reason);
            Assert.Equal("0", NodeError.From(full).Metadata["queue_capacity"]);
            Assert.NotNull(NodeError.From(full).RetryDelay);
            Assert.Equal(StatusCode.Unavailable, stopping.StatusCode);
            Assert.Equal(NodeErrorReasons.NodeStopping, NodeError.From(stopping).Reason);
            Assert.NotNull(NodeError.From(stopping).RetryDelay);
            hold.Set();
            Assert.NotEqual(FinishReason.Cancelled, (await blocker).FinishReason);
        }
        finally
        {
            hold.Set();
        }
    }

    [Fact]
    public async Task AnUnknownPriorityIsRefusedQuotingTheValueNotRunAsRoutine()
    {
        var (scheduler, batcher) = Start(queueCapacity: 8);
        using var _ = batcher;
        var error = await Assert.ThrowsAsync<RpcException>(() => Generate(scheduler, (Priority)7, 1));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(NodeErrorReasons.PriorityInvalid, NodeError.From(error).Reason);
        Assert.Equal("7", NodeError.From(error).Metadata["priority"]);
        Assert.Equal(0, batcher.InFlight + batcher.Waiting);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
