using System.Net;
using LlavaRad.Imaging.DicomWeb;

namespace LlavaRad.Imaging.Tests;

/// <summary>The client's own policy (retries, auth headers, error codes), observed through an HttpMessageHandler that
/// records requests and answers with scripted status codes. Behaviour against a real server is in the integration tests.</summary>
public class DicomWebClientPolicyTests
{
    private sealed class ScriptedHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var status = answers[Math.Min(Requests.Count - 1, answers.Length - 1)];
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("[]") });
        }
    }

    private static readonly DicomWebClientOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 3 };

    private static DicomWebClient Client(ScriptedHandler handler, DicomWebClientOptions options) =>
        new(new HttpClient(handler) { BaseAddress = new Uri("http://pacs.invalid/dicom-web/") }, options);

    [Fact]
    public async Task ServerErrorsAndTooManyRequestsAreRetriedUntilSuccess()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.OK);
        var result = await Client(handler, Fast).SearchStudiesAsync([]);
        Assert.Empty(result);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task PersistentServerErrorsEndInTheServerErrorCodeAfterTheRetries()
    {
        var handler = new ScriptedHandler(HttpStatusCode.BadGateway);
        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(handler, Fast).RetrieveStudyMetadataAsync("1.2.3"));
        Assert.Equal(DicomWebException.ServerError, error.Code);
        Assert.Equal(1 + Fast.MaxRetries, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, DicomWebException.HttpError)]
    [InlineData(HttpStatusCode.Unauthorized, DicomWebException.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound, DicomWebException.NotFound)]
    public async Task ClientErrorsAreNotRetriedAndCarryTheirCode(HttpStatusCode status, string code)
    {
        var handler = new ScriptedHandler(status);
        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(handler, Fast).RetrieveStudyMetadataAsync("1.2.3"));
        Assert.Equal(code, error.Code);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task BasicAndBearerCredentialsGoInTheAuthorizationHeader()
    {
        var basic = new ScriptedHandler(HttpStatusCode.OK);
        await Client(basic, new DicomWebClientOptions { Username = "ci", Password = "s3cret" }).SearchStudiesAsync([]);
        Assert.Equal("Basic", basic.Requests[0].Headers.Authorization!.Scheme);
        Assert.Equal(Convert.ToBase64String("ci:s3cret"u8.ToArray()), basic.Requests[0].Headers.Authorization!.Parameter);

        var bearer = new ScriptedHandler(HttpStatusCode.OK);
        await Client(bearer, new DicomWebClientOptions { BearerToken = "tok" }).SearchStudiesAsync([]);
        Assert.Equal("Bearer tok", bearer.Requests[0].Headers.Authorization!.ToString());
    }

    [Theory]
    [InlineData(HttpStatusCode.NotAcceptable)] // the standard's answer
    [InlineData(HttpStatusCode.InternalServerError)] // Orthanc's answer when it has no encoder; not retried
    public async Task InstanceRetrievalFallsBackToTheStoredSyntaxWhenTranscodingIsRefused(HttpStatusCode refusal)
    {
        var handler = new ScriptedHandler(refusal, HttpStatusCode.NotFound);
        var transcodingFirst = new DicomWebClientOptions { RetryBaseDelay = Fast.RetryBaseDelay, MaxRetries = 3, Retrieval = InstanceRetrieval.ServerTranscoding };
        await Assert.ThrowsAsync<DicomWebException>(() => Client(handler, transcodingFirst).RetrieveInstanceAsync("1", "2", "3"));
        Assert.Contains("transfer-syntax=1.2.840.10008.1.2.1", handler.Requests[0].Headers.Accept.ToString());
        Assert.Contains("transfer-syntax=*", handler.Requests[1].Headers.Accept.ToString());
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task InstanceRetrievalAsksForTheStoredSyntaxByDefault()
    {
        var handler = new ScriptedHandler(HttpStatusCode.NotFound);
        await Assert.ThrowsAsync<DicomWebException>(() => Client(handler, Fast).RetrieveInstanceAsync("1", "2", "3"));
        Assert.Contains("transfer-syntax=*", handler.Requests[0].Headers.Accept.ToString());
        Assert.Single(handler.Requests);
    }

    private sealed class SilentHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task AServerThatNeverAnswersEndsInTheTimeoutCode()
    {
        var options = new DicomWebClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(100), MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        var client = new DicomWebClient(new HttpClient(new SilentHandler()) { BaseAddress = new Uri("http://pacs.invalid/dicom-web/") }, options);
        var error = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync([]));
        Assert.Equal(DicomWebException.Timeout, error.Code);
    }
}
