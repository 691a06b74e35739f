using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Png;
using LlavaRad.Imaging.Selection;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// The worker's one call for imaging: study → WADO-RS metadata → frontal chest selection → instance retrieval (the
/// stored syntax by default) → local decode → grayscale pipeline → 8-bit image. When the pixels cannot be decoded here
/// (a syntax or codec we lack), the fallbacks the options allow follow: the server's Explicit VR LE transcoding, then
/// its /rendered PNG, windowed with the file's first window. Failures come back as coded outcomes, never exceptions
/// (except cancellation).
/// </summary>
public sealed class FrontalImageFetcher(DicomWebClient client, IDicomImageReader reader, GrayscaleProfile profile)
{
    public async Task<FrontalImageResult> FetchAsync(string studyInstanceUid, CancellationToken cancellationToken = default)
    {
        SelectionResult selection;
        try
        {
            var metadata = await client.RetrieveStudyMetadataAsync(studyInstanceUid, cancellationToken);
            selection = FrontalChestSelector.Select(metadata);
        }
        catch (DicomWebException e)
        {
            return FrontalImageResult.Failed(e.Code, null, [$"metadata: {e.Message}"]);
        }
        if (selection.Selected is not { } chosen) return FrontalImageResult.Failed(selection.Outcome, selection, []);

        var series = chosen.GetString(DicomTag.SeriesInstanceUid) ?? "";
        var sop = chosen.GetString(DicomTag.SopInstanceUid) ?? "";
        var steps = new List<string> { $"selected {sop} ({ChestImageRules.FrontalView(chosen)})" };
        try
        {
            var instance = await client.RetrieveInstanceAsync(studyInstanceUid, series, sop, cancellationToken);
            var (source, frame) = await DecodeOrTranscodeAsync(instance, studyInstanceUid, series, sop, steps, cancellationToken);
            var converted = GrayscalePipeline.Convert(frame, source.Attributes, profile);
            return FrontalImageResult.Succeeded(converted.Image, selection, [.. steps, .. converted.Steps]);
        }
        catch (DicomReadException e) when (IsUndecodableHere(e.Code) && client.Options.RenderedFallback)
        {
            steps.Add($"local decode impossible ({e.Code}); using /rendered");
            return await RenderedFallbackAsync(studyInstanceUid, series, sop, chosen, selection, steps, cancellationToken);
        }
        catch (DicomReadException e)
        {
            return FrontalImageResult.Failed(e.Code, selection, [.. steps, e.Message]);
        }
        catch (DicomWebException e)
        {
            return FrontalImageResult.Failed(e.Code, selection, [.. steps, e.Message]);
        }
    }

    private static bool IsUndecodableHere(string code) =>
        code is DicomReadException.CompressedTransferSyntaxUnsupported or DicomReadException.CodecUnavailable;

    // The stored syntax is decoded here; only when that is impossible is the server asked to transcode. A transcoding
    // the server cannot do (Orthanc's 500) leaves the first refusal standing, for the /rendered fallback.
    private async Task<(DicomImageSource Source, StoredPixelFrame Frame)> DecodeOrTranscodeAsync(RetrievedInstance instance,
        string study, string series, string sop, List<string> steps, CancellationToken cancellationToken)
    {
        var source = reader.Read(instance.Part10);
        steps.Add($"retrieved Part 10 in {source.TransferSyntaxUid} (asked {instance.RequestedTransferSyntax})");
        try
        {
            return (source, source.DecodeFirstFrame());
        }
        catch (DicomReadException e) when (IsUndecodableHere(e.Code) && client.Options.TranscodeFallback
            && instance.RequestedTransferSyntax != Part10.TransferSyntax.ExplicitVrLittleEndianUid)
        {
            steps.Add($"local decode impossible ({e.Code}); asking the server to transcode");
            RetrievedInstance transcoded;
            try
            {
                transcoded = await client.RetrieveTranscodedInstanceAsync(study, series, sop, cancellationToken);
            }
            catch (DicomWebException failed) when (failed.HttpStatus is not null)
            {
                steps.Add($"the server could not transcode ({failed.Code})");
                throw new DicomReadException(e.Code, e.Message);
            }
            var again = reader.Read(transcoded.Part10);
            steps.Add($"retrieved Part 10 in {again.TransferSyntaxUid} (asked {transcoded.RequestedTransferSyntax})");
            return (again, again.DecodeFirstFrame());
        }
    }

    private async Task<FrontalImageResult> RenderedFallbackAsync(string study, string series, string sop, IDicomAttributes chosen,
        SelectionResult selection, List<string> steps, CancellationToken cancellationToken)
    {
        try
        {
            // Orthanc ignores the file's window unless asked; pass the first one (modality units, as the standard says).
            var centers = chosen.GetDoubles(DicomTag.WindowCenter);
            var widths = chosen.GetDoubles(DicomTag.WindowWidth);
            var function = (chosen.GetString(DicomTag.VoiLutFunction) ?? "LINEAR").ToLowerInvariant().Replace('_', '-');
            var window = centers.Count > 0 && widths.Count > 0
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{centers[0]},{widths[0]},{function}") : null;
            var png = await client.RetrieveRenderedPngAsync(study, series, sop, window, cancellationToken);
            var image = PngGrayDecoder.Decode(png);
            steps.Add(window is null ? "rendered by the server (its own min/max)" : $"rendered by the server with window {window}");
            if (profile == GrayscaleProfile.MimicCxrJpg)
            {
                HistogramEqualization.Apply(image.Pixels);
                steps.Add("profile mimic-cxr-jpg: histogram equalisation");
            }
            return FrontalImageResult.Succeeded(image, selection, steps);
        }
        catch (DicomWebException e)
        {
            return FrontalImageResult.Failed(e.Code, selection, [.. steps, e.Message]);
        }
        catch (DicomReadException e)
        {
            return FrontalImageResult.Failed(e.Code, selection, [.. steps, e.Message]);
        }
    }
}

/// <summary>
/// The image for the inference request, or the coded reason there is none (a selection reason such as
/// no-frontal-view, a DICOM read code, or a DICOMweb code). Whether a retry may succeed is the caller's decision.
/// </summary>
public sealed record FrontalImageResult(string Outcome, Gray8Image? Image, SelectionResult? Selection, IReadOnlyList<string> Steps)
{
    public static FrontalImageResult Succeeded(Gray8Image image, SelectionResult selection, IReadOnlyList<string> steps) =>
        new(SelectionReasons.Frontal, image, selection, steps);

    public static FrontalImageResult Failed(string code, SelectionResult? selection, IReadOnlyList<string> steps) =>
        new(code, null, selection, steps);
}
