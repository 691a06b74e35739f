using Google.Protobuf;
using Grpc.Net.Client;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Model;

namespace LlavaRad.IntegrationTests.Node;

/// <summary>
/// Hostile images cost bounded memory: the node runs as this test's own child process, so its resident set
/// (/proc/PID/status VmRSS) is measured alone while eight decompression bombs arrive at once.
/// </summary>
public class NodeMemoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const long GiB = 1L << 30, MiB = 1L << 20;

    [Fact]
    public async Task EightConcurrentLargestAcceptedPngBombsStayBelowStartPlusOneGibAndTheMemoryReturns()
    {
        // 8192 x 8192 RGBA, 16 bits per sample: 512 MiB of samples in about half a megabyte, the largest size accepted.
        var bomb = ByteString.CopyFrom(IndependentPng.Zeros(8192, 8192, IndependentPng.Rgba, 16));
        using var model = new TempDirectory();
        TinyModelWriter.Write(model.Path, TinyModelWriter.DefaultConfig, seed: 5);
        var port = ClosedPort.Next();
        var log = new System.Text.StringBuilder();
        using var node = InferenceNodeProcessTests.StartNode(model.Path, port, log);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new ReportGenerator.ReportGeneratorClient(channel);
        try
        {
            using (var probe = new InferenceNodeClient(new InferenceNodeClientOptions { Address = new Uri($"http://127.0.0.1:{port}") }))
                Assert.True(await probe.WaitUntilServingAsync(TimeSpan.FromSeconds(120)), $"node never became SERVING:\n{log.Read()}");
            GenerateRequest Request(ByteString png) => new()
            {
                RequestId = "bomb", Images = { new Image { Png = png } }, Options = new GenerationOptions { MaxNewTokens = 1 },
            };
            // One small request first, so the baseline includes the request path's own working set.
            await client.GenerateAsync(Request(ByteString.CopyFrom(IndependentPng.Zeros(64, 64, IndependentPng.Gray, 8))));
            var start = ResidentBytes(node.Id);

            using var sampling = new CancellationTokenSource();
            var peak = SamplePeakAsync(node.Id, sampling.Token);
            var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GenerateAsync(Request(bomb)).ResponseAsync));
            await sampling.CancelAsync();
            var highest = await peak;

            var settled = await WaitForResidentBelowAsync(node.Id, start + 256 * MiB, TimeSpan.FromMinutes(2));
            output.WriteLine($"VmRSS start {start / MiB} MiB, peak {highest / MiB} MiB, after the burst {settled / MiB} MiB");
            Assert.All(burst, r => Assert.Single(r.TokenIds));
            Assert.True(highest < start + GiB, $"RSS peaked at {highest / MiB} MiB from {start / MiB} MiB at the start");
            // Returned: within a generous wait the resident set falls back near where it started.
            Assert.True(settled < start + 256 * MiB, $"RSS stayed at {settled / MiB} MiB after the burst (start {start / MiB} MiB, peak {highest / MiB} MiB)");
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // kB
    }

    private static async Task<long> SamplePeakAsync(int pid, CancellationToken stop)
    {
        var peak = 0L;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, ResidentBytes(pid));
            try { await Task.Delay(20, stop); } catch (OperationCanceledException) { }
        }
        return Math.Max(peak, ResidentBytes(pid));
    }

    private static async Task<long> WaitForResidentBelowAsync(int pid, long bound, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        var now = ResidentBytes(pid);
        while (now >= bound && DateTime.UtcNow < until)
        {
            await Task.Delay(500);
            now = ResidentBytes(pid);
        }
        return now;
    }
}
