using MsOptions = Microsoft.Extensions.Options.Options;
using System.Text.Json;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Worker.Pipeline;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Tests.Pipeline;

public sealed class LocalBundleSinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LocalBundleSink Sink() => new(MsOptions.Create(new PipelineOptions { DraftFolder = _dir.File("drafts") }), MsOptions.Create(new WriteBackOptions()));

    private static DraftReportRequest Request(string pipelineVersion = "1") => new(
        new StudyReferences("1.2.3.4", "ImagingStudy?identifier=urn:dicom:uid|urn:oid:1.2.3.4", "Patient?identifier=P1", null, null,
            new DateTimeOffset(2024, 1, 15, 8, 34, 12, TimeSpan.FromHours(1)), null, "1.2.3.4.5"),
        "No acute cardiopulmonary process.", new ModelIdentity("tiny", "tiny", "0.1.0", new string('a', 64)), pipelineVersion, [],
        WorklistUrgency.Routine, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task WritesOneTransactionBundleAndARerunWritesNothing()
    {
        var first = await Sink().WriteAsync(Request(), default);
        var again = await Sink().WriteAsync(Request(), default);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Location, again.Location);
        var file = Assert.Single(Directory.GetFiles(_dir.File("drafts")));
        using var bundle = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal("transaction", bundle.RootElement.GetProperty("type").GetString());
        var types = bundle.RootElement.GetProperty("entry").EnumerateArray()
            .Select(e => e.GetProperty("resource").GetProperty("resourceType").GetString()).Order().ToList();
        Assert.Equal(["Device", "DiagnosticReport", "Provenance", "Task"], types);
    }

    [Fact]
    public async Task ANewPipelineVersionIsANewDraft()
    {
        await Sink().WriteAsync(Request("1"), default);
        await Sink().WriteAsync(Request("2"), default);

        Assert.Equal(2, Directory.GetFiles(_dir.File("drafts")).Length);
    }
}
