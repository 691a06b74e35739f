using System.Net;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Bench.Worker;

/// <summary>
/// "A model that answers at once": a double of our own inference node (the llavarad.v1 contract, grpc.health
/// SERVING) on a loopback port, returning a fixed findings text without looking at the image. It is our own
/// contract, not a third-party peer, so a double is fair here: the benchmark measures what the worker adds around
/// the node, not the model. The text names no positive finding, so the draft carries no Observation entries.
/// </summary>
public sealed class InstantNode : IAsyncDisposable
{
    public const string FindingsText = "No acute cardiopulmonary process. Lungs are clear. Heart size is normal.";
    private WebApplication? _app;

    public Uri Address { get; private set; } = new("http://127.0.0.1:1");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Plain-text HTTP/2 (h2c) needs an HTTP/2-only endpoint.
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddGrpcHealthChecks(health => health.Services.Map(InferenceNodeClient.ServiceName, _ => true))
            .AddCheck("instant", () => HealthCheckResult.Healthy());
        _app = builder.Build();
        _app.MapGrpcService<InstantReportGenerator>();
        _app.MapGrpcHealthChecksService();
        await _app.StartAsync();
        var bound = ((IApplicationBuilder)_app).ServerFeatures.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Answers every Generate at once with <see cref="InstantNode.FindingsText"/>.</summary>
public sealed class InstantReportGenerator : ReportGenerator.ReportGeneratorBase
{
    private static readonly ModelIdentity Model = new() { ModelId = "instant-bench", ModelVersion = "0", WeightsSha256 = new string('0', 64) };

    public override Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        var response = new GenerateResponse { RequestId = request.RequestId, Text = InstantNode.FindingsText, FinishReason = FinishReason.Eos, Model = Model };
        for (var i = 0; i < 16; i++)
        {
            response.TokenIds.Add(i);
            response.TokenLogprobs.Add(-0.05f);
        }
        return Task.FromResult(response);
    }

    public override Task<ModelInfo> GetModelInfo(GetModelInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelInfo { Identity = Model });
}
