using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Selection;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad inspect IN.dcm`: the attributes that drive selection and conversion, the selector's verdict on this one
/// file, and the pipeline steps. Patient name, ID and birth date are deliberately not printed.
/// </summary>
public sealed class InspectCommand : ICliCommand
{
    public string Name => "inspect";
    public string Usage => "IN.dcm   key attributes, frontal-chest verdict and grayscale pipeline steps of one DICOM file";

    private static readonly (string Name, uint Tag)[] KeyAttributes =
    [
        ("SOPClassUID", DicomTag.SopClassUid), ("SOPInstanceUID", DicomTag.SopInstanceUid), ("StudyInstanceUID", DicomTag.StudyInstanceUid),
        ("Modality", DicomTag.Modality), ("BodyPartExamined", DicomTag.BodyPartExamined), ("ViewPosition", DicomTag.ViewPosition),
        ("ImageType", DicomTag.ImageType), ("PresentationIntentType", DicomTag.PresentationIntentType),
        ("Rows", DicomTag.Rows), ("Columns", DicomTag.Columns), ("NumberOfFrames", DicomTag.NumberOfFrames),
        ("PhotometricInterpretation", DicomTag.PhotometricInterpretation), ("BitsAllocated", DicomTag.BitsAllocated),
        ("BitsStored", DicomTag.BitsStored), ("PixelRepresentation", DicomTag.PixelRepresentation),
        ("RescaleSlope", DicomTag.RescaleSlope), ("RescaleIntercept", DicomTag.RescaleIntercept),
        ("WindowCenter", DicomTag.WindowCenter), ("WindowWidth", DicomTag.WindowWidth), ("VOILUTFunction", DicomTag.VoiLutFunction),
        ("PresentationLUTShape", DicomTag.PresentationLutShape), ("SpecificCharacterSet", DicomTag.SpecificCharacterSet),
    ];

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length != 1 || args[0].StartsWith("--", StringComparison.Ordinal)) throw new UsageException("inspect needs exactly one IN.dcm");
        var source = DicomInput.Read(args[0]);
        var attributes = source.Attributes;

        await stdout.WriteLineAsync($"file: {args[0]}");
        await stdout.WriteLineAsync($"TransferSyntaxUID: {source.TransferSyntaxUid}");
        foreach (var (name, tag) in KeyAttributes)
            if (attributes.Contains(tag)) await stdout.WriteLineAsync($"{name}: {attributes.GetJoined(tag)}");

        var selection = FrontalChestSelector.Select([attributes]);
        await stdout.WriteLineAsync($"selection: {selection.Outcome}");
        foreach (var verdict in selection.Verdicts) await stdout.WriteLineAsync($"  {verdict.Verdict}");

        try
        {
            var result = GrayscalePipeline.Convert(source.DecodeFirstFrame(), attributes);
            await stdout.WriteLineAsync("pipeline:");
            foreach (var step in result.Steps) await stdout.WriteLineAsync($"  {step}");
        }
        catch (DicomReadException e)
        {
            await stdout.WriteLineAsync($"pixels: {e.Code}: {e.Message}");
        }
        return CliApp.Ok;
    }
}
