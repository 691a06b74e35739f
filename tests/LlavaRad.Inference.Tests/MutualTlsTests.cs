using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Inference.Security;
using LlavaRad.Model;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.Inference.Tests;

/// <summary>The node link carries patient pixels: with a client CA configured, only that CA's clients get through.</summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly TestPki _site = new("site");
    private readonly TestPki _stranger = new("stranger");
    private readonly TempDirectory _model = new();
    private readonly EventRecorder _events = new();
    private RunningNode? _node;

    public async Task InitializeAsync()
    {
        TinyModelWriter.Write(_model.Path, TinyModelWriter.DefaultConfig, seed: 11);
        _node = await RunningNode.StartAsync(_model.Path, "https", _events,
            $"--Inference:Tls:CertificatePath={_site.ServerCertificatePath}",
            $"--Inference:Tls:KeyPath={_site.ServerKeyPath}",
            $"--Inference:Tls:ClientCaPath={_site.CaPath}");
    }

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
        _site.Dispose();
        _stranger.Dispose();
        _model.Dispose();
    }

    private InferenceNodeClient Client(TestPki trustNodeFrom, TestPki? clientCertificateFrom) => new(new InferenceNodeClientOptions
    {
        Address = _node!.Address,
        NodeCaPath = trustNodeFrom.CaPath,
        ClientCertificatePath = clientCertificateFrom?.ClientCertificatePath ?? "",
        ClientKeyPath = clientCertificateFrom?.ClientKeyPath ?? "",
        MaxAttempts = 1,
        CallTimeout = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public async Task ClientWithACertificateFromTheSiteCaIsServed()
    {
        using var client = Client(trustNodeFrom: _site, clientCertificateFrom: _site);
        Assert.Equal("https", _node!.Address.Scheme);
        Assert.True(await client.WaitUntilServingAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("llava-rad-tiny-random", (await client.GetModelInfoAsync()).Identity.ModelId);
    }

    [Fact]
    public async Task ClientWithoutACertificateIsRefusedCountedAndLogged()
    {
        using var client = Client(trustNodeFrom: _site, clientCertificateFrom: null);
        AssertRefusedByTransport(await Assert.ThrowsAsync<RpcException>(() => client.GetModelInfoAsync()));
        AssertRefusalRecorded(KestrelTls.MissingCertificate);
    }

    [Fact]
    public async Task ClientWithACertificateFromAnotherCaIsRefusedCountedAndLogged()
    {
        using var client = Client(trustNodeFrom: _site, clientCertificateFrom: _stranger);
        AssertRefusedByTransport(await Assert.ThrowsAsync<RpcException>(() => client.GetModelInfoAsync()));
        AssertRefusalRecorded(TlsRefusals.UntrustedCertificate);
    }

    [Fact]
    public async Task ABurstOfRefusalsIsCountedInFullButLoggedOncePerInterval()
    {
        for (var i = 0; i < 5; i++)
        {
            using var client = Client(trustNodeFrom: _site, clientCertificateFrom: _stranger);
            await Assert.ThrowsAsync<RpcException>(() => client.GetModelInfoAsync());
        }
        Assert.True(_node!.App.Services.GetRequiredService<TlsRefusals>().Total >= 5);
        // Five handshakes on a loaded machine may span an interval boundary; never five lines.
        Assert.InRange(_events.Messages(TlsRefusalsEventId).Count, 1, 2);
    }

    private const int TlsRefusalsEventId = 1200;

    // The node's handshake ends after the client's (TLS 1.3), so the record may trail the client's error briefly.
    private void AssertRefusalRecorded(string reason)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until && !_events.Messages(TlsRefusalsEventId).Any(m => m.Contains(reason))) Thread.Sleep(50);
        Assert.Contains(_events.Messages(TlsRefusalsEventId), m => m.Contains(reason));
        Assert.True(_node!.App.Services.GetRequiredService<TlsRefusals>().Total >= 1);
    }

    // Under TLS 1.3 the client's handshake finishes before the server checks its certificate, so the refusal
    // arrives either as a failed connection (UNAVAILABLE) or as a reset of the first stream (INTERNAL).
    private static void AssertRefusedByTransport(RpcException error) =>
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });

    [Fact]
    public async Task ClientRefusesANodeWhoseCertificateItsCaDidNotIssue()
    {
        using var client = Client(trustNodeFrom: _stranger, clientCertificateFrom: _site);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetModelInfoAsync());
        // Grpc.Net.Client reports a failed server-certificate check as INTERNAL with the TLS error inside.
        Assert.Contains("SSL connection could not be established", error.Status.Detail);
    }

    [Fact]
    public void TlsWithAPlainHttpUrlIsRefusedAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InferenceNode.Build(
            ["--urls=http://127.0.0.1:0", $"--Inference:ModelDirectory={_model.Path}",
             $"--Inference:Tls:CertificatePath={_site.ServerCertificatePath}", $"--Inference:Tls:KeyPath={_site.ServerKeyPath}"]));
        Assert.Contains("plain http://127.0.0.1:0", error.Message);
    }
}
