using LlavaRad.Imaging;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// The embedded default's source: scans a folder; each sub-folder with .dcm files whose newest change is older
/// than <see cref="FolderSourceOptions.StableAfter"/> is submitted as a study (StudyInstanceUID from its first
/// readable file). Re-scans are harmless: the job key makes a study one job, and this source remembers what it
/// submitted with the folder's state, so a changed folder is submitted again (and dedups in the store).
/// </summary>
public sealed class FolderSource(IStudySubmitter submitter, IDicomImageReader reader, IOptions<FolderSourceOptions> options,
    TimeProvider clock, ILogger<FolderSource> logger) : BackgroundService
{
    public const string SourceName = "folder";
    private readonly Dictionary<string, DateTime> _submitted = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var root = Path.GetFullPath(options.Value.Path);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(root, stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                SourceLog.FolderNotScanned(logger, SourceLog.FolderUnreadable, e.GetType().Name);
            }
            await Task.Delay(options.Value.ScanInterval, clock, stoppingToken);
        }
    }

    /// <summary>One pass over the folder; returns how many studies were submitted.</summary>
    public async Task<int> ScanAsync(string root, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root)) return 0;
        var submitted = 0;
        var folders = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Prepend(root).Order(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!options.Value.FollowSymlinks && !WatchedFolderPaths.StaysInside(root, folder)) continue; // a linked directory out
            var files = Directory.GetFiles(folder, "*.dcm")
                .Where(f => options.Value.FollowSymlinks || WatchedFolderPaths.StaysInside(root, f)).ToArray();
            if (files.Length == 0) continue;
            var newest = files.Max(File.GetLastWriteTimeUtc);
            if (clock.GetUtcNow().UtcDateTime - newest < options.Value.StableAfter) continue; // still arriving
            if (_submitted.TryGetValue(folder, out var seen) && seen == newest) continue;

            if (StudyUid(files) is not { } uid)
            {
                SourceLog.FolderWithoutStudy(logger, SourceLog.FolderNoStudyUid, files.Length);
                _submitted[folder] = newest;
                continue;
            }
            await submitter.SubmitAsync(new StudySubmission(uid, JobPriority.Routine, new StudyOrigin(StudyOriginKinds.Folder, folder), SourceName),
                cancellationToken);
            _submitted[folder] = newest;
            submitted++;
        }
        return submitted;
    }

    private string? StudyUid(IEnumerable<string> files)
    {
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            try
            {
                if (reader.Read(File.ReadAllBytes(file)).Attributes.GetString(DicomTag.StudyInstanceUid) is { } uid) return uid;
            }
            catch (DicomReadException)
            {
                // try the next file; the pipeline reports a corrupt file with its code
            }
        }
        return null;
    }
}
