using MsOptions = Microsoft.Extensions.Options.Options;
using System.Text.Json;
using LlavaRad.Imaging.Part10;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

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
    public async Task LinksThatLeadOutOfTheWatchedFolderAreNotFollowed()
    {
        using var outside = new TempDirectory();
        var elsewhere = Path.Combine(outside.Path, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        foreach (var file in Directory.GetFiles(Path.Combine(Samples, "studies", "pa-chest-dx-8bit-no-window"), "*.dcm"))
            File.Copy(file, Path.Combine(elsewhere, Path.GetFileName(file)));
        var first = Directory.GetFiles(elsewhere, "*.dcm")[0];
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "linked-directory"), elsewhere);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "absolute-link"));
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "absolute-link", "a.dcm"), first);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "relative-link"));
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "relative-link", "b.dcm"),
            Path.GetRelativePath(Path.Combine(_dir.Path, "relative-link"), first));

        var submitted = await Source(TimeSpan.Zero).ScanAsync(_dir.Path, default);

        Assert.Equal(0, submitted);
        Assert.Empty(_submitter.Submitted);
    }

    [Fact]
    public async Task AStudyFileLinkedFromOutsideIsRefusedWithACode()
    {
        using var outside = new TempDirectory();
        var source = Directory.GetFiles(Path.Combine(Samples, "studies", "pa-chest-dx-8bit-no-window"), "*.dcm")[0];
        var target = Path.Combine(outside.Path, "x.dcm");
        File.Copy(source, target);
        var study = Path.Combine(_dir.Path, "study");
        Directory.CreateDirectory(study);
        File.CreateSymbolicLink(Path.Combine(study, "x.dcm"), target);
        var images = new LlavaRad.Worker.Pipeline.FolderImageSource(new Part10ImageReader(), MsOptions.Create(new FolderSourceOptions { Path = _dir.Path }));

        var error = await Assert.ThrowsAsync<StudyPipelineException>(() => images.GetAsync(
            new LlavaRad.Worker.Pipeline.ResolvedStudy("1.2.3", new StudyOrigin(StudyOriginKinds.Folder, study), null, null, study, null), default));

        Assert.Equal("folder-symlink-refused", error.Outcome.Code);
        Assert.False(error.Outcome.Transient);
    }

    [Fact]
    public async Task AHalfWrittenFileIsATransientOutcome()
    {
        var bytes = File.ReadAllBytes(Directory.GetFiles(Path.Combine(Samples, "studies", "pa-chest-dx-8bit-no-window"), "*.dcm")[0]);
        var study = Path.Combine(_dir.Path, "study");
        Directory.CreateDirectory(study);
        File.WriteAllBytes(Path.Combine(study, "half.dcm"), bytes[..(bytes.Length / 2)]);
        var images = new LlavaRad.Worker.Pipeline.FolderImageSource(new Part10ImageReader(), MsOptions.Create(new FolderSourceOptions { Path = _dir.Path }));

        var error = await Assert.ThrowsAsync<StudyPipelineException>(() => images.GetAsync(
            new LlavaRad.Worker.Pipeline.ResolvedStudy("1.2.3", new StudyOrigin(StudyOriginKinds.Folder, study), null, null, study, null), default));

        Assert.True(error.Outcome.Transient, error.Outcome.Code);
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
