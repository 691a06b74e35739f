using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>
/// The continuous batcher on the tiny model: batching is invisible in the tokens, capacity is freed by cancellation,
/// a full line is refused at once, and the queue order (the caller's key) decides who runs first.
/// </summary>
public sealed class ContinuousBatcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LlavaRadModel _model;
    private readonly SentencePieceTokenizer _tokenizer;

    public ContinuousBatcherTests()
    {
        TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 21);
        var directory = ModelDirectory.Open(_dir.Path);
        _model = LlavaRadModel.Load(directory, CPU);
        _tokenizer = SentencePieceTokenizer.Load(directory.TokenizerPath);
    }

    public void Dispose()
    {
        _model.Dispose();
        _dir.Dispose();
    }

    private static readonly string[] Indications =
        ["cough", "fever and chills for three days", "", "chest pain", "post-op line placement check", "dyspnea", "trauma", "follow-up effusion"];

    /// <summary>Request i: its own random image and one of several indications, so prompt lengths differ.</summary>
    private GenerationRequest Request(int i)
    {
        var size = _model.Config.VisionConfig.ImageSize;
        var pixels = randn([1, 3, size, size], generator: new torch.Generator((ulong)(100 + i)));
        return new GenerationRequest(pixels, PromptTemplate.IdsFor(_tokenizer, Indications[i % Indications.Length]));
    }

    private static GenerationOptions Options(int i) => new() { MaxNewTokens = 6 + 3 * (i % 5) };

    private static QueueTicket Routine(long key = 0) => new(key, "routine");

    [Theory]
    [InlineData(512)] // each prompt in one prefill chunk
    [InlineData(7)]   // prompts cut into 7-position chunks interleaved with decode steps
    public async Task SixteenConcurrentRequestsGiveExactlyTheTokensOfSixteenSequentialOnes(int prefillChunk)
    {
        var requests = Enumerable.Range(0, 16).Select(Request).ToList();
        var sequential = new TextGenerator(_model, _tokenizer);
        var expected = requests.Select((r, i) => sequential.Generate(r, Options(i))).ToList();
        Assert.True(expected.Select(e => e.PromptLength).Distinct().Count() > 3, "prompts should differ in length");
        Assert.True(expected.Select(e => e.TokenIds.Count).Distinct().Count() > 2, "outputs should differ in length");

        using var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 6, PrefillChunkTokens = prefillChunk });
        var batched = await Task.WhenAll(requests.Select((r, i) => batcher.SubmitAsync(r, Options(i), Routine())));

        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(expected[i].TokenIds, batched[i].TokenIds);
            Assert.Equal(expected[i].Text, batched[i].Text);
            Assert.Equal(expected[i].FinishReason, batched[i].FinishReason);
            Assert.Equal(expected[i].PromptLength, batched[i].PromptLength);
        }
    }

    [Fact]
    public async Task StreamedTokensAreTheResultsTokensAndTimingsAreFilled()
    {
        using var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 4 });
        var streamed = new List<GeneratedToken>();
        var result = await batcher.SubmitAsync(Request(1), new GenerationOptions { MaxNewTokens = 10 }, Routine(), streamed.Add);

        Assert.Equal(result.TokenIds, streamed.Select(t => t.Id));
        Assert.Equal(result.Text, string.Concat(streamed.Select(t => t.TextDelta)));
        Assert.True(result.Timings.Prefill > TimeSpan.Zero);
        Assert.True(result.Timings.Vision > TimeSpan.Zero);
    }

    [Fact]
    public async Task CancellingARunningRequestFreesItsSlotForTheNextOne()
    {
        using var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 1 });
        using var cancel = new CancellationTokenSource();
        var tokens = 0;
        // Cancels itself after its third token, long before its 300 allowed tokens.
        var running = batcher.SubmitAsync(Request(2), new GenerationOptions { MaxNewTokens = 300 }, Routine(),
            _ => { if (++tokens == 3) cancel.Cancel(); }, cancel.Token);
        var next = batcher.SubmitAsync(Request(3), new GenerationOptions { MaxNewTokens = 5 }, Routine());

        var cancelled = await running;
        var served = await next;

        Assert.Equal(FinishReason.Cancelled, cancelled.FinishReason);
        Assert.InRange(cancelled.TokenIds.Count, 3, 4);
        Assert.NotEqual(FinishReason.Cancelled, served.FinishReason);
        Assert.Equal(0, batcher.InFlight);
    }

    [Fact]
    public async Task AFullQueueIsRefusedAtOnce()
    {
        using var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 1, QueueCapacity = 1 });
        using var hold = new Hold();
        var blocker = batcher.SubmitAsync(Request(0), new GenerationOptions { MaxNewTokens = 3 }, Routine(), _ => hold.Wait());
        await WaitUntil(() => batcher.InFlight == 1 && batcher.Waiting == 0);
        var waiting = batcher.SubmitAsync(Request(1), new GenerationOptions { MaxNewTokens = 2 }, Routine());

        var refused = Assert.Throws<QueueFullException>(() => { _ = batcher.SubmitAsync(Request(2), new GenerationOptions { MaxNewTokens = 2 }, Routine()); });

        Assert.Equal(1, refused.Waiting);
        hold.Set();
        await Task.WhenAll(blocker, waiting);
    }

    [Fact]
    public async Task ALowerOrderKeyOvertakesRequestsThatQueuedEarlier()
    {
        using var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 1 });
        using var hold = new Hold();
        var order = new List<string>();
        var blocker = batcher.SubmitAsync(Request(0), new GenerationOptions { MaxNewTokens = 2 }, Routine(), _ => hold.Wait());
        await WaitUntil(() => batcher.InFlight == 1);
        Task Tracked(string name, long key) => batcher.SubmitAsync(Request(1), new GenerationOptions { MaxNewTokens = 1 }, new QueueTicket(key, name),
            _ => { lock (order) order.Add(name); });
        var routine1 = Tracked("routine-1", 100);
        var routine2 = Tracked("routine-2", 200);
        var stat = Tracked("stat", 50);
        await WaitUntil(() => batcher.Waiting == 3);

        hold.Set();
        await Task.WhenAll(blocker, routine1, routine2, stat);

        Assert.Equal(["stat", "routine-1", "routine-2"], order);
    }

    [Fact]
    public async Task ACancelledWaiterLeavesTheQueueAndNeverRuns()
    {
        using var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 1 });
        using var hold = new Hold();
        var blocker = batcher.SubmitAsync(Request(0), new GenerationOptions { MaxNewTokens = 2 }, Routine(), _ => hold.Wait());
        await WaitUntil(() => batcher.InFlight == 1);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var abandoned = batcher.SubmitAsync(Request(1), new GenerationOptions { MaxNewTokens = 2 }, Routine(), _ => ran = true, cancel.Token);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(0, batcher.Waiting);
        hold.Set();
        await blocker;
        Assert.False(ran);
    }

    [Fact]
    public async Task CutOffFailsWaitingAndRunningRequestsAndRefusesNewOnes()
    {
        var batcher = new ContinuousBatcher(_model, _tokenizer, new BatcherOptions { MaxBatchSize = 1 });
        using var hold = new Hold();
        var running = batcher.SubmitAsync(Request(0), new GenerationOptions { MaxNewTokens = 50 }, Routine(), _ => hold.Wait(TimeSpan.FromMilliseconds(20)));
        await WaitUntil(() => batcher.InFlight == 1);
        var waiting = batcher.SubmitAsync(Request(1), new GenerationOptions { MaxNewTokens = 2 }, Routine());

        var drained = await batcher.DrainAsync(TimeSpan.Zero);

        Assert.False(drained);
        await Assert.ThrowsAsync<BatcherStoppedException>(() => waiting);
        await Assert.ThrowsAsync<BatcherStoppedException>(() => running);
        Assert.Throws<BatcherStoppedException>(() => { _ = batcher.SubmitAsync(Request(2), new GenerationOptions { MaxNewTokens = 2 }, Routine()); });
        batcher.Dispose();
    }

    /// <summary>Holds the batch loop inside a token callback; released on dispose too, so a failed assert cannot hang the run.</summary>
    private sealed class Hold : IDisposable
    {
        private readonly ManualResetEventSlim _event = new(false);
        public void Wait() => _event.Wait();
        public void Wait(TimeSpan timeout) => _event.Wait(timeout);
        public void Set() => _event.Set();
        public void Dispose() => _event.Set();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
