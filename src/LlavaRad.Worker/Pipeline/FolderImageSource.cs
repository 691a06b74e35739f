using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Selection;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>Select, read and convert from a folder of Part 10 files (the watched-folder source).</summary>
public sealed class FolderImageSource(IDicomImageReader reader, IOptions<FolderSourceOptions> options) : IFrontalImageSource
{
    public async Task<FrontalImage> GetAsync(ResolvedStudy study, CancellationToken cancellationToken)
    {
        var folder = study.Folder ?? throw new InvalidOperationException("not a folder study");
        var sources = new List<(string File, DicomImageSource Source)>();
        var root = options.Value.Path is { Length: > 0 } watched ? watched : folder;
        foreach (var file in Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal))
        {
            if (!options.Value.FollowSymlinks && !WatchedFolderPaths.StaysInside(root, file))
                throw StudyPipelineException.Final(PipelineReasons.FolderSymlinkRefused,
                    $"{Path.GetFileName(file)} is a link that leads out of the watched folder (FolderSource:FollowSymlinks is off)");
            try
            {
                var source = reader.Read(await File.ReadAllBytesAsync(file, cancellationToken));
                // A folder may collect several studies' files; only this study's count.
                if (source.Attributes.GetString(DicomTag.StudyInstanceUid) == study.StudyInstanceUid)
                    sources.Add((Path.GetFileName(file), source));
            }
            catch (DicomReadException e)
            {
                throw FailureOutcomes.FromFolderFile(e, Path.GetFileName(file));
            }
        }

        var selection = FrontalChestSelector.Select(sources.Select(s => s.Source.Attributes).ToList());
        if (selection.Selected is not { } chosen)
            throw StudyPipelineException.Final(selection.Outcome, $"no image chosen among {sources.Count} file(s)");
        var (chosenFile, selected) = sources.First(s => ReferenceEquals(s.Source.Attributes, chosen));
        try
        {
            var converted = GrayscalePipeline.Convert(selected.DecodeFirstFrame(), chosen, GrayscaleProfile.MimicCxrJpg);
            return new FrontalImage(converted.Image, chosen.GetString(DicomTag.SopInstanceUid) ?? "", chosenFile,
                FrontalImage.StudyStart(chosen), chosen.GetString(DicomTag.PatientId), converted.Steps, chosen);
        }
        catch (DicomReadException e)
        {
            throw StudyPipelineException.Final(e.Code, $"{chosenFile}: {e.Message}");
        }
    }
}
