using LlavaRad.Imaging;
using LlavaRad.Imaging.Sr;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// The instance count QIDO's stability gate watches: images only. Our own draft SR stored into the study (and any
/// report, key-object or presentation-state series) is not a new acquisition, so it must neither make the study
/// unstable again nor hand it over a second time; a new image still does.
/// </summary>
public static class StudyImageInstances
{
    /// <summary>Disposition of a study in which no series holds images (only reports or our own draft SR).</summary>
    public const string NoImageSeries = "no-image-series";

    private static readonly HashSet<string> NonImageModalities = new(["SR", "KO", "PR"], StringComparer.Ordinal);

    /// <summary>The study's image instances; null when it has no image series at all.</summary>
    public static async Task<int?> CountAsync(DicomWebClient dicomWeb, DicomJsonDataset study, CancellationToken cancellationToken)
    {
        var total = study.GetInt(DicomTag.NumberOfStudyRelatedInstances) ?? 0;
        // Most studies hold images only: their study-level count is the answer, with no series query per study.
        if (!study.GetStrings(DicomTag.ModalitiesInStudy).Any(NonImageModalities.Contains)) return total;
        var uid = study.GetString(DicomTag.StudyInstanceUid)!;
        var images = (await dicomWeb.SearchSeriesAsync(uid,
                [new("includefield", DicomTag.JsonKey(DicomTag.NumberOfSeriesRelatedInstances))], cancellationToken))
            .Where(series => IsImageSeries(series, uid))
            .ToList();
        return images.Count == 0 ? null : images.Sum(series => series.GetInt(DicomTag.NumberOfSeriesRelatedInstances) ?? 0);
    }

    /// <summary>Our draft SR series is recognised as the change feed does it: its UID is derived from the study UID.</summary>
    private static bool IsImageSeries(DicomJsonDataset series, string studyUid) =>
        !NonImageModalities.Contains(series.GetString(DicomTag.Modality) ?? "") &&
        series.GetString(DicomTag.SeriesInstanceUid) != DraftSrWriter.SeriesUid(studyUid);
}
