using System.Net;
using Google.Protobuf;
using Grpc.Net.Client;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference.Tests;

/// <summary>The HTTP/1.1 observability listener: Prometheus metrics of the batcher and the live/ready probes.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task MetricsAndProbesAreServedOnTheirOwnPlainHttpPort()
    {
        var port = ClosedPort.Next();
        await using var node = await RunningNode.StartServingTinyModelAsync($"--Inference:ObservabilityUrl=http://127.0.0.1:{port}");
        using var channel = GrpcChannel.ForAddress(node.Address, new GrpcChannelOptions { MaxSendMessageSize = 32 << 20 });
        var client = new ReportGenerator.ReportGeneratorClient(channel);
        await client.GenerateAsync(new GenerateRequest
        {
            Priority = Priority.Urgent,
            Images = { new Image { Raw = new RawGrayImage { Width = 32, Height = 32, Pixels = ByteString.CopyFrom(new byte[32 * 32]) } } },
            Options = new GenerationOptions { MaxNewTokens = 4 },
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("llavarad_time_to_first_token_seconds_bucket", metrics);
        Assert.Contains("llavarad_time_per_output_token_seconds_bucket", metrics);
        Assert.Contains("llavarad_tokens_generated_total", metrics);
        Assert.Contains("llavarad_tokens_prompt_total", metrics);
        Assert.Contains("llavarad_batch_size", metrics);
        Assert.Contains("llavarad_kv_cache_usage", metrics);
        Assert.Contains("llavarad_requests_finished_total", metrics);
        Assert.Contains("llavarad_queue_time_seconds", metrics);
    }
}
