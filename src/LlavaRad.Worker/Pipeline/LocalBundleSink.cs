using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.WriteBack;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// The draft's transaction Bundle as a JSON file named by its idempotency key, for the embedded default, shadow mode
/// and studies the EHR does not know. Written to a temporary name and renamed, so a crash leaves no half file, and
/// a re-run finds the file and writes nothing.
/// </summary>
public sealed class LocalBundleSink(IOptions<PipelineOptions> options, IOptions<WriteBackOptions> writeBack) : IDraftSink
{
    private readonly FhirJsonSerializer _json = new();

    public async Task<DraftLocation> WriteAsync(DraftReportRequest request, CancellationToken cancellationToken)
    {
        var keys = new DraftKeys(request, writeBack.Value);
        var folder = Path.GetFullPath(options.Value.DraftFolder);
        var path = Path.Combine(folder, $"draft-{keys.Key[..24]}.json");
        if (File.Exists(path)) return new DraftLocation(path, Created: false);
        try
        {
            Directory.CreateDirectory(folder);
            var bundle = new DraftBundleBuilder(writeBack.Value).Build(request, keys, []);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllTextAsync(temporary, _json.SerializeToString(bundle), cancellationToken);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another run of the same draft won the rename
                return new DraftLocation(path, Created: false);
            }
            return new DraftLocation(path, Created: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StudyPipelineException.Retry(PipelineReasons.LocalWriteFailed, $"cannot write the draft bundle: {e.GetType().Name}", e);
        }
    }
}
