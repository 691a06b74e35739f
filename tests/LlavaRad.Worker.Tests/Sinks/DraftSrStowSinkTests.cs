using MsOptions = Microsoft.Extensions.Options.Options;
using System.Net;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlavaRad.Worker.Tests.Sinks;

/// <summary>
/// The SR's STOW-RS under the DICOMweb allowlist: a STOW URL off every configured base is refused before any request,
/// and the credentials sent are those of the base the URL lies under. (The store itself is tested against the real
/// Orthanc in the integration tests; here a recording handler stands in for the network to see what would leave.)
/// </summary>
public sealed class DraftSrStowSinkTests
{
    public static DraftSrStowSink Sink(string stowUrl, DicomWebAllowlist allowlist, IHttpClientFactory http) =>
        new(MsOptions.Create(new ExportOptions { StowUrl = stowUrl }), allowlist, http, NullLogger<DraftSrStowSink>.Instance);

    private static DicomWebAllowlist Allowlist() => new(MsOptions.Create(new DicomWebClientOptions
    {
        BaseUrl = "http://pacs-a.test/dicom-web/", Username = "reader-a", Password = "secret-a", MaxRetries = 0,
        AllowedBases = [new DicomWebBaseOptions { Url = "http://pacs-b.test/dicomweb/", BearerToken = "token-b" }],
    }), MsOptions.Create(new StudySourcesOptions()));

    [Theory]
    [InlineData("http://pacs-c.test/dicom-web/")] // another host
    [InlineData("http://pacs-a.test/other/")] // the right host, outside the base's path
    [InlineData("https://pacs-a.test/dicom-web/")] // another scheme
    public async Task AStowUrlOffEveryAllowlistedBaseIsRefusedAndNothingIsSent(string stowUrl)
    {
        var http = new RecordingHttp();
        var failure = await Assert.ThrowsAsync<StudyPipelineException>(() => Sink(stowUrl, Allowlist(), http).StoreAsync(Draft(), "key", Source(), CancellationToken.None));
        Assert.Equal(PipelineReasons.DicomWebEndpointNotAllowed, failure.Outcome.Code);
        Assert.False(failure.Outcome.Transient);
        Assert.Empty(http.Requests);
    }

    [Fact]
    public async Task TheCredentialsSentAreThoseOfTheBaseTheStowUrlLiesUnder()
    {
        var http = new RecordingHttp();
        var failure = await Assert.ThrowsAsync<StudyPipelineException>(() =>
            Sink("http://pacs-b.test/dicomweb/", Allowlist(), http).StoreAsync(Draft(), "key", Source(), CancellationToken.None));
        Assert.Equal(DraftSrStowSink.SrStoreFailed, failure.Outcome.Code); // the recorder answers 503
        Assert.True(failure.Outcome.Transient);
        var request = Assert.Single(http.Requests);
        Assert.StartsWith("http://pacs-b.test/dicomweb/", request.Uri, StringComparison.Ordinal);
        Assert.Equal("Bearer token-b", request.Authorization);
    }

    private static IDicomAttributes Source()
    {
        var folder = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", "pa-chest-dx-8bit-no-window");
        return Part10Reader.Read(File.ReadAllBytes(Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).First())).Dataset;
    }

    private static DraftReportRequest Draft()
    {
        var source = Source();
        return new(new StudyReferences(source.GetString(DicomTag.StudyInstanceUid)!, "ImagingStudy/1", "Patient/1", null, null,
                DateTimeOffset.UnixEpoch, null, source.GetString(DicomTag.SopInstanceUid)!),
            "No acute cardiopulmonary process.", new ModelIdentity("tiny", "tiny", "0.1.0", new string('a', 64)), "1", [],
            WorklistUrgency.Routine, DateTimeOffset.UnixEpoch);
    }

    /// <summary>Records each request's address and Authorization header and answers 503.</summary>
    private sealed class RecordingHttp : HttpMessageHandler, IHttpClientFactory
    {
        public List<(string Uri, string? Authorization)> Requests { get; } = [];

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add((request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
