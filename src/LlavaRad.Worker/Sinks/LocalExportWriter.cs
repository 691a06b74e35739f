using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Sinks;

/// <summary>
/// Beside a local draft bundle: the SR as sr/draft-KEY.dcm and the ORU^R01 as hl7/draft-KEY.hl7 (ER7, CR between
/// segments), named like the bundle. Written to a temporary name and renamed, so a crash leaves no half file.
/// </summary>
public sealed class LocalExportWriter(IOptions<ExportOptions> options, IOptions<WriteBackOptions> writeBack)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.Folder);

    public async Task WriteAsync(DraftReportRequest draft, IDicomAttributes source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = new DraftKeys(draft, writeBack.Value).Key;
        var name = $"draft-{key[..24]}";
        var (sr, oru) = DraftExportMapper.Render(draft, key, source, settings, version: 1);
        try
        {
            await WriteOnceAsync(Path.Combine(settings.Folder, "sr", name + ".dcm"), sr.Part10, cancellationToken);
            await WriteOnceAsync(Path.Combine(settings.Folder, "hl7", name + ".hl7"), System.Text.Encoding.UTF8.GetBytes(oru), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StudyPipelineException.Retry(PipelineReasons.LocalWriteFailed, $"cannot write the SR or HL7 export: {e.GetType().Name}", e);
        }
    }

    private static async Task WriteOnceAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        try { File.Move(temporary, path, overwrite: false); }
        catch (IOException) when (File.Exists(path)) { File.Delete(temporary); }
    }
}
