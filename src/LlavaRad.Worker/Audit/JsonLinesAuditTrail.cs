using System.Text;
using Hl7.Fhir.Serialization;

namespace LlavaRad.Worker.Audit;

/// <summary>
/// Appends each AuditEvent as one JSON line, in one unbuffered write of the whole line, holding the file exclusively
/// while it writes (several worker processes may share one file), so lines never interleave and a process killed
/// mid-way leaves at most its last line unwritten.
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
            await using var file = await OpenExclusiveAsync(cancellationToken);
            file.Seek(0, SeekOrigin.End); // after the lock: another process may have appended since the open
            await file.WriteAsync(line, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>FileShare.None makes .NET take an exclusive (advisory) lock; while another process holds it the open fails, so wait a moment.</summary>
    private async Task<FileStream> OpenExclusiveAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(options.FilePath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
            }
            catch (IOException) when (attempt < 500 && File.Exists(options.FilePath))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 + Random.Shared.Next(10)), cancellationToken);
            }
        }
    }

    public void Dispose() => _gate.Dispose();
}
