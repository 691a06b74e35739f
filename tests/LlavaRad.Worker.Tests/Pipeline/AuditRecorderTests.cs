using System.Text.Json;
using LlavaRad.Worker.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlavaRad.Worker.Tests.Pipeline;

public sealed class AuditRecorderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class BrokenTrail : IAuditTrail
    {
        public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken) => throw new IOException("disk full");
    }

    [Fact]
    public async Task AnAuditThatCannotBeWrittenNeverFailsTheCallItAudits()
    {
        var recorder = new AuditRecorder(new BrokenTrail(), TimeProvider.System, NullLogger<AuditRecorder>.Instance);

        var result = await recorder.TrackAsync(AuditActions.Read, "read", "ImagingStudy/1", null, "http://fhir/", () => Task.FromResult(42),
            _ => "x", default);

        Assert.Equal(42, result);
        Assert.Equal(1, recorder.Failures);
    }

    [Fact]
    public async Task AFailedCallIsAuditedWithItsCodeAndStillThrows()
    {
        var options = new AuditOptions { FilePath = _dir.File("audit.jsonl") };
        var recorder = new AuditRecorder(new JsonLinesAuditTrail(options, new AuditEventMapper(options)), TimeProvider.System,
            NullLogger<AuditRecorder>.Instance);

        await Assert.ThrowsAsync<TimeoutException>(() => recorder.TrackAsync<int>(AuditActions.Read, "wado-rs-retrieve", "urn:oid:1.2.3",
            "Patient/7", "http://pacs/", () => throw new TimeoutException(), _ => "dicomweb-timeout", default));
        await recorder.TrackAsync(AuditActions.Create, "transaction", "ImagingStudy/9", "Patient/7", "http://fhir/", () => Task.FromResult(1), _ => "", default);

        var lines = File.ReadAllLines(options.FilePath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(("8", "dicomweb-timeout"), (lines[0].GetProperty("outcome").GetString(), lines[0].GetProperty("outcomeDesc").GetString()));
        Assert.Equal(("0", "C"), (lines[1].GetProperty("outcome").GetString(), lines[1].GetProperty("action").GetString()));
        Assert.Contains("Patient/7", lines[1].GetProperty("entity").GetRawText());
        Assert.True(lines[1].GetProperty("agent")[0].GetProperty("requestor").GetBoolean());
    }
}

public sealed class JsonLinesAuditTrailTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SeveralWritersOnOneFileNeverInterleaveLines()
    {
        // Two trails stand for two worker processes sharing the file: each has its own in-process gate only.
        var options = new AuditOptions { FilePath = _dir.File("audit.jsonl") };
        var trails = Enumerable.Range(0, 2).Select(_ => new JsonLinesAuditTrail(options, new AuditEventMapper(options))).ToList();

        await Task.WhenAll(trails.Select((trail, t) => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
                await trail.WriteAsync(new AuditRecord(AuditActions.Read, "read", $"ImagingStudy/{t}-{i}", null, "http://fhir/",
                    DateTimeOffset.UnixEpoch, null), default);
        })));

        var lines = File.ReadAllLines(options.FilePath);
        Assert.Equal(200, lines.Length);
        var entities = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("entity")[0].GetProperty("what").GetProperty("reference").GetString())
            .ToHashSet();
        Assert.Equal(200, entities.Count);
        trails.ForEach(t => t.Dispose());
    }
}
