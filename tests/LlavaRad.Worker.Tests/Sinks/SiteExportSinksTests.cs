using MsOptions = Microsoft.Extensions.Options.Options;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Hl7v2;
using LlavaRad.Hl7v2.Tests;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Pipeline;
using LlavaRad.Worker.Sinks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Tests.Sinks;

/// <summary>The HL7 site sink against a real MLLP receiver (python3-hl7): AA done, AE final with its text, down transient.</summary>
public sealed class SiteExportSinksTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }

    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    private SiteExportSinks Sinks(int port) => new(
        MsOptions.Create(new ExportOptions { Mllp = new MllpSenderOptions { Host = "127.0.0.1", Port = port, ConnectTimeout = TimeSpan.FromSeconds(20) } }),
        MsOptions.Create(new WriteBackOptions()), DraftSrStowSinkTests.Sink("", new DicomWebAllowlist(MsOptions.Create(new Imaging.DicomWeb.DicomWebClientOptions()),
            MsOptions.Create(new LlavaRad.Worker.Options.StudySourcesOptions())), _services.GetRequiredService<IHttpClientFactory>()),
        NullLogger<SiteExportSinks>.Instance);

    private static IDicomAttributes Source()
    {
        var folder = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", "pa-chest-dx-8bit-no-window");
        return Part10Reader.Read(File.ReadAllBytes(Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).First())).Dataset;
    }

    private static DraftReportRequest Draft(IDicomAttributes source) => new(
        new StudyReferences(source.GetString(DicomTag.StudyInstanceUid)!, "ImagingStudy/1", "Patient/1", null, null,
            DateTimeOffset.UnixEpoch, null, source.GetString(DicomTag.SopInstanceUid)!),
        "Small right pleural effusion.", new ModelIdentity("tiny", "tiny", "0.1.0", new string('a', 64)), "1",
        [new FindingLabel(new CodedConcept(FindingsAssessor.ObservationSystem, "PleuralEffusion", "Pleural Effusion"), FindingCertainty.Positive)],
        WorklistUrgency.Routine, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task AnAcknowledgedOruCompletesTheSink()
    {
        using var listener = new MllpListener(_dir.File("log"));
        var source = Source();
        await Sinks(listener.Port).DeliverAsync(SinkNames.Hl7Mllp, Draft(source), source, CancellationToken.None);
        Assert.Single(File.ReadAllLines(_dir.File("log")));
    }

    [Fact]
    public async Task ARejectedOruFailsFinallyWithTheReceiversText()
    {
        using var listener = new MllpListener(_dir.File("log"), replies: "AR", text: "unknown order");
        var source = Source();
        var failure = await Assert.ThrowsAsync<StudyPipelineException>(() => Sinks(listener.Port).DeliverAsync(SinkNames.Hl7Mllp, Draft(source), source, CancellationToken.None));
        Assert.Equal(SiteExportSinks.Hl7Rejected, failure.Outcome.Code);
        Assert.False(failure.Outcome.Transient);
        Assert.Contains("unknown order", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADownReceiverIsATransientFailureTheJobStoreRetries()
    {
        var source = Source();
        var failure = await Assert.ThrowsAsync<StudyPipelineException>(() => Sinks(ClosedPort.Next()).DeliverAsync(SinkNames.Hl7Mllp, Draft(source), source, CancellationToken.None));
        Assert.Equal(SiteExportSinks.Hl7Undelivered, failure.Outcome.Code);
        Assert.True(failure.Outcome.Transient);
    }
}
