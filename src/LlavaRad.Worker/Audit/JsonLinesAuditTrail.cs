using System.Text;
using Hl7.Fhir.Serialization;

namespace LlavaRad.Worker.Audit;

/// <summary>
/// Appends each AuditEvent as one JSON line, in one unbuffered write of the whole line, one writer at a time, so lines
/// never interleave and a process killed mid-way leaves at most its last line unwritten.
/// </summary>
public sealed class JsonLinesAuditTrail(AuditOptions options, AuditEventMapper mapper) : IAuditTrail, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FhirJsonSerializer _json = new();

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var line = Encoding.UTF8.GetBytes(_json.SerializeToString(mapper.Map(record)) + "\n");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.FilePath))!);
            await using var file = new FileStream(options.FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            await file.WriteAsync(line, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
