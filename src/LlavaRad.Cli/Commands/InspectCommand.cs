using System.CommandLine;
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

    public Command Create(CliConsole console)
    {
        var file = new Argument<string>("IN.dcm") { Description = "the DICOM file" };
        var command = new Command("inspect", "key attributes, frontal-chest verdict and grayscale pipeline steps of one DICOM file").With(file);
        VerbAction.Set(command, console, async (parse, _) =>
        {
            var path = parse.GetRequiredValue(file);
            var source = DicomInput.Read(path);
            var attributes = source.Attributes;

            await console.Out.WriteLineAsync($"file: {path}");
            await console.Out.WriteLineAsync($"TransferSyntaxUID: {source.TransferSyntaxUid}");
            foreach (var (name, tag) in KeyAttributes)
                if (attributes.Contains(tag)) await console.Out.WriteLineAsync($"{name}: {attributes.GetJoined(tag)}");

            var selection = FrontalChestSelector.Select([attributes]);
            await console.Out.WriteLineAsync($"selection: {selection.Outcome}");
            foreach (var verdict in selection.Verdicts) await console.Out.WriteLineAsync($"  {verdict.Verdict}");

            try
            {
                var result = GrayscalePipeline.Convert(source.DecodeFirstFrame(), attributes);
                await console.Out.WriteLineAsync("pipeline:");
                foreach (var step in result.Steps) await console.Out.WriteLineAsync($"  {step}");
            }
            catch (DicomReadException e)
            {
                await console.Out.WriteLineAsync($"pixels: {e.Code}: {e.Message}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
