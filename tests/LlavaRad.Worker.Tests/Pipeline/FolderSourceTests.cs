using MsOptions = Microsoft.Extensions.Options.Options;
using System.Text.Json;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Tests.Pipeline;

public sealed class FolderSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RecordingSubmitter _submitter = new();

    public void Dispose() => _dir.Dispose();

    private FolderSource Source(TimeSpan stableAfter, TimeProvider? clock = null) => new(_submitter, new Part10ImageReader(),
        MsOptions.Create(new FolderSourceOptions { Path = _dir.Path, StableAfter = stableAfter }), clock ?? TimeProvider.System,
        NullLogger<FolderSource>.Instance);

    private static string Samples => Path.Combine(ExternalTool.RepoRoot(), "sample-studies");

    private void CopyStudy(string folder)
    {
        var target = Path.Combine(_dir.Path, folder);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(Samples, "studies", folder), "*.dcm"))
        {
            var copy = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetLastWriteTimeUtc(copy, DateTime.UtcNow); // arrived now (a copy keeps the original's time)
        }
    }

    [Fact]
    public async Task EachStableStudyFolderIsSubmittedOnceWithItsUidAndFolderOrigin()
    {
        CopyStudy("pa-and-lateral-chest-dx-two-series");
        CopyStudy("lateral-only-chest-dx");
        var source = Source(TimeSpan.Zero);

        var first = await source.ScanAsync(_dir.Path, default);
        var second = await source.ScanAsync(_dir.Path, default);

        Assert.Equal(2, first);
        Assert.Equal(0, second);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Samples, "manifest.json")));
        var expected = manifest.RootElement.GetProperty("studies").EnumerateArray()
            .Where(s => s.GetProperty("folder").GetString() is "studies/pa-and-lateral-chest-dx-two-series" or "studies/lateral-only-chest-dx")
            .Select(s => s.GetProperty("studyInstanceUid").GetString()!).Order().ToList();
        Assert.Equal(expected, _submitter.Submitted.Select(s => s.StudyInstanceUid).Order().ToList());
        Assert.All(_submitter.Submitted, s => Assert.Equal(StudyOriginKinds.Folder, s.Origin.Kind));
        Assert.Contains(_submitter.Submitted, s => s.Origin.Reference == Path.Combine(_dir.Path, "lateral-only-chest-dx"));
    }

    [Fact]
    public async Task AFolderStillReceivingFilesWaitsUntilItIsStable()
    {
        CopyStudy("pa-chest-dx-8bit-no-window");
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var source = Source(TimeSpan.FromMinutes(1), clock);

        var whileArriving = await source.ScanAsync(_dir.Path, default);
        clock.Advance(TimeSpan.FromMinutes(2));
        var once = await source.ScanAsync(_dir.Path, default);

        Assert.Equal(0, whileArriving);
        Assert.Equal(1, once);
    }

    private sealed class RecordingSubmitter : IStudySubmitter
    {
        public List<StudySubmission> Submitted { get; } = [];

        public Task SubmitAsync(StudySubmission submission, CancellationToken cancellationToken)
        {
            Submitted.Add(submission);
            return Task.CompletedTask;
        }
    }
}
