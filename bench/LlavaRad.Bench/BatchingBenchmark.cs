using System.Diagnostics;
using LlavaRad.Model;
using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Bench;

/// <summary>
/// Output tokens/s of the continuous batcher at concurrency 1, 4 and 16 (closed loop: that many clients, each sending
/// its next request when the last one returns; batch size = concurrency) against the same requests generated one
/// after another by the plain TextGenerator, in one run on a small random model. Prints the batched/sequential
/// throughput ratio and p50/p95 time to first token per level, and checks that batched greedy tokens equal the
/// sequential ones. Args: [requests=32] [new_tokens=32] [threads=2].
/// </summary>
public sealed class BatchingBenchmark : IBenchmark
{
    public string Name => "batching";

    // Small: text 4 x 256 (vocab 2048), vision 4 x 128 on 112 px / 14 px patches = 64 image rows.
    internal static ModelConfig SmallConfig => TinyModelWriter.DefaultConfig with
    {
        ModelId = "llava-rad-bench-small",
        TextConfig = TinyModelWriter.DefaultConfig.TextConfig with
        {
            VocabSize = 2048, HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 4, NumAttentionHeads = 4,
            NumKeyValueHeads = 4, MaxPositionEmbeddings = 512,
        },
        VisionConfig = TinyModelWriter.DefaultConfig.VisionConfig with
        {
            ImageSize = 112, PatchSize = 14, HiddenSize = 128, NumHiddenLayers = 4, NumAttentionHeads = 4, IntermediateSize = 512,
        },
    };

    public int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 32;
        var newTokens = args.Length > 1 ? int.Parse(args[1]) : 32;
        var threads = args.Length > 2 ? int.Parse(args[2]) : 2;
        torch.set_num_threads(threads);
        var dir = Path.Combine(Path.GetTempPath(), $"llavarad-bench-{Guid.NewGuid():N}");
        try
        {
            TinyModelWriter.Write(dir, SmallConfig, seed: 3);
            using var model = LlavaRadModel.Load(ModelDirectory.Open(dir), CPU);
            var requests = Enumerable.Range(0, count).Select(Request).ToList();
            var options = new GenerationOptions { MaxNewTokens = newTokens };
            var sequential = new TextGenerator(model, tokenizer: null);
            sequential.Generate(requests[0], options); // warm-up

            Console.WriteLine($"batching: small config (text 4x256, vision 4x128 @112/14 = 64 image rows), {count} requests, " +
                $"at most {newTokens} new tokens, {threads} threads, greedy");
            var identical = true;
            foreach (var concurrency in new[] { 1, 4, 16 })
            {
                // Sequential baseline right before each level, so both see the same machine load.
                var clock = Stopwatch.StartNew();
                var expected = OnOwnThread(() => requests.Select(r => sequential.Generate(r, options)).ToList());
                var sequentialSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var mainThread = requests.Take(4).Select(r => sequential.Generate(r, options)).Sum(r => r.TokenIds.Count) / clock.Elapsed.TotalSeconds;
                var sequentialTokens = expected.Sum(e => e.TokenIds.Count);

                var (results, ttft, batchedSeconds) = RunBatched(model, requests, options, concurrency);
                identical &= results.Select((r, i) => r.TokenIds.SequenceEqual(expected[i].TokenIds)).All(x => x);
                var batchedTokens = results.Sum(r => r.TokenIds.Count);
                var ratio = batchedTokens / batchedSeconds / (sequentialTokens / sequentialSeconds);
                Console.WriteLine($"  concurrency {concurrency,2}: batched {batchedTokens / batchedSeconds,7:F1} tok/s   sequential {sequentialTokens / sequentialSeconds,7:F1} tok/s   " +
                    $"ratio batched/sequential = {ratio:F2}   (sequential on the calling thread {mainThread:F1} tok/s)   TTFT p50 {Percentile(ttft, 0.50) * 1000,7:F1} ms  p95 {Percentile(ttft, 0.95) * 1000,7:F1} ms");
            }
            Console.WriteLine($"  batched greedy tokens identical to sequential: {identical}");
            foreach (var r in requests) r.Pixels?.Dispose();
            return identical ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs on a dedicated thread, as the batcher's loop does, so both sides get the same libtorch thread setup.</summary>
    private static T OnOwnThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => { using var noGrad = torch.no_grad(); result = work(); });
        thread.Start();
        thread.Join();
        return result;
    }

    /// <summary>Request i: its own image and a prompt of 20-50 text ids around the image slot, so lengths differ.</summary>
    internal static GenerationRequest Request(int i)
    {
        var size = SmallConfig.VisionConfig.ImageSize;
        var pixels = randn([1, 3, size, size], generator: new torch.Generator((ulong)(10 + i)));
        var before = 12 + i % 7 * 3;
        var after = 8 + i % 5 * 4;
        long[] prompt = [1, .. Enumerable.Range(0, before).Select(k => 300L + (k * 7 + i) % 1500), LlavaRadModel.ImageTokenIndex,
            .. Enumerable.Range(0, after).Select(k => 500L + (k * 3 + i) % 1500)];
        return new GenerationRequest(pixels, prompt);
    }

    private static (GenerationResult[] Results, List<double> Ttft, double Seconds) RunBatched(
        LlavaRadModel model, List<GenerationRequest> requests, GenerationOptions options, int concurrency)
    {
        using var batcher = new ContinuousBatcher(model, tokenizer: null, new BatcherOptions { MaxBatchSize = concurrency, QueueCapacity = requests.Count });
        var results = new GenerationResult[requests.Count];
        var ttft = new List<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var submitted = Stopwatch.GetTimestamp();
                var first = 0L;
                results[i] = await batcher.SubmitAsync(requests[i], options, new QueueTicket(i, "routine"),
                    _ => { if (first == 0) first = Stopwatch.GetTimestamp(); });
                lock (ttft) ttft.Add(Stopwatch.GetElapsedTime(submitted, first).TotalSeconds);
            }
        })).ToArray();
        Task.WaitAll(clients);
        return (results, ttft, clock.Elapsed.TotalSeconds);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }
}
