using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using LlavaRad.Fhir.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlavaRad.Fhir.Tests;

public class FhirRetryTests
{
    private static readonly FhirRetryOptions Fast = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromMilliseconds(300),
    };

    private static (FhirStore Store, ScriptedHandler Network) StoreOver(ScriptedHandler network, FhirRetryOptions? options = null)
    {
        var retry = new FhirRetryHandler(Options.Create(options ?? Fast), TimeProvider.System, NullLogger<FhirRetryHandler>.Instance)
        {
            InnerHandler = network,
        };
        return (new FhirStore(new HttpClient(retry) { BaseAddress = new Uri("http://127.0.0.1:1/fhir/R4/") }), network);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async System.Threading.Tasks.Task TransientAnswersAreRetriedWithTheSameBody(HttpStatusCode transient)
    {
        var (store, network) = StoreOver(new ScriptedHandler(ScriptedHandler.Status(transient), ScriptedHandler.Status(transient),
            ScriptedHandler.Status(HttpStatusCode.Created)));

        var created = await store.CreateAsync(new Patient { Gender = AdministrativeGender.Female });

        Assert.Equal("p1", created.Id);
        Assert.Equal(3, network.Received.Count);
        Assert.Single(network.Received.Select(r => r.Body).Distinct());
        Assert.Contains("female", network.Received[2].Body);
    }

    [Fact]
    public async System.Threading.Tasks.Task RetryAfterIsHonouredEvenAboveTheBackoffCap()
    {
        var (store, network) = StoreOver(new ScriptedHandler(
            ScriptedHandler.Status(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1))),
            ScriptedHandler.Status(HttpStatusCode.Created)));

        await store.CreateAsync(new Patient());

        var waited = network.Received[1].At - network.Received[0].At;
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"waited only {waited.TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, FhirStoreException.Conflict)]
    [InlineData(HttpStatusCode.PreconditionFailed, FhirStoreException.Conflict)]
    [InlineData(HttpStatusCode.BadRequest, FhirStoreException.Rejected)]
    [InlineData(HttpStatusCode.Unauthorized, FhirStoreException.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound, FhirStoreException.NotFound)]
    public async System.Threading.Tasks.Task DefiniteAnswersAreNotRetriedAndGetACode(HttpStatusCode status, string code)
    {
        var (store, network) = StoreOver(new ScriptedHandler(ScriptedHandler.Status(status)));

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.CreateAsync(new Patient()));

        Assert.Equal(code, error.Code);
        Assert.Equal((int)status, error.HttpStatus);
        Assert.Single(network.Received);
    }

    [Fact]
    public async System.Threading.Tasks.Task PersistentServerErrorsStopAfterMaxAttempts()
    {
        var (store, network) = StoreOver(new ScriptedHandler(ScriptedHandler.Status(HttpStatusCode.ServiceUnavailable)));

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.CreateAsync(new Patient()));

        Assert.Equal(FhirStoreException.ServerError, error.Code);
        Assert.Equal(Fast.MaxAttempts, network.Received.Count);
    }

    [Fact]
    public async System.Threading.Tasks.Task HangingTriesTimeOutAreRetriedAndEndAsTimeout()
    {
        var (store, network) = StoreOver(new ScriptedHandler(ScriptedHandler.Hang()), Fast);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => store.CreateAsync(new Patient()));

        Assert.Equal(FhirStoreException.Timeout, error.Code);
        Assert.Equal(Fast.MaxAttempts, network.Received.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async System.Threading.Tasks.Task TimeoutThenSuccessSucceeds()
    {
        var (store, network) = StoreOver(new ScriptedHandler(ScriptedHandler.Hang(), ScriptedHandler.Status(HttpStatusCode.Created)));

        var created = await store.CreateAsync(new Patient());

        Assert.Equal("p1", created.Id);
        Assert.Equal(2, network.Received.Count);
    }
}
