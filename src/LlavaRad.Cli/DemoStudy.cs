using System.Text.Json.Nodes;
using Google.Protobuf;
using LlavaRad.Contracts.V1;
using LlavaRad.Findings;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Selection;

namespace LlavaRad.Cli;

/// <summary>
/// One sample study through the chain the worker will run: read the DICOM files, select the frontal chest image,
/// convert it to 8 bits, ask the node for findings (pixels + indication only), label and triage the text.
/// The result names folders and files, never the patient.
/// </summary>
public sealed class DemoStudy(ReportGenerator.ReportGeneratorClient node, FindingsTriage triage)
{
    public async Task<JsonObject> RunAsync(string folder, string? indication, CancellationToken cancellationToken)
    {
        var reader = new Part10ImageReader();
        var sources = new List<(string File, DicomImageSource Source)>();
        foreach (var file in Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal))
        {
            try
            {
                sources.Add((Path.GetFileName(file), reader.Read(await File.ReadAllBytesAsync(file, cancellationToken))));
            }
            catch (DicomReadException e)
            {
                return new JsonObject { ["outcome"] = e.Code, ["file"] = Path.GetFileName(file) };
            }
        }

        var selection = FrontalChestSelector.Select(sources.Select(s => s.Source.Attributes).ToList());
        if (!selection.Found) return new JsonObject { ["outcome"] = selection.Outcome };
        var (selectedFile, selected) = sources.Single(s => ReferenceEquals(s.Source.Attributes, selection.Selected));

        var converted = GrayscalePipeline.Convert(selected.DecodeFirstFrame(), selected.Attributes, GrayscaleProfile.MimicCxrJpg);
        var response = await node.GenerateAsync(new GenerateRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Images = { new Image { Raw = new RawGrayImage
            {
                Width = (uint)converted.Image.Width, Height = (uint)converted.Image.Height,
                Pixels = ByteString.CopyFrom(converted.Image.Pixels),
            } } },
            Indication = indication ?? "",
            Options = new GenerationOptions { MaxNewTokens = 48 },
        }, cancellationToken: cancellationToken);
        var assessment = triage.Assess(response.Text, response.TokenLogprobs.Select(p => (double)p).ToList());

        return new JsonObject
        {
            ["outcome"] = "drafted",
            ["selected_file"] = selectedFile,
            ["pipeline"] = new JsonArray(converted.Steps.Select(s => (JsonNode)s).ToArray()),
            ["draft"] = new JsonObject
            {
                ["text"] = response.Text,
                ["finish_reason"] = response.FinishReason.ToString(),
                ["tokens"] = response.TokenIds.Count,
                ["findings"] = new JsonObject(assessment.Labels.Mentioned.Select(l =>
                    KeyValuePair.Create(l.Observation.DisplayName(), (JsonNode?)l.Status.ToString().ToLowerInvariant()))),
                ["urgency"] = assessment.Urgency.Level.ToString().ToLowerInvariant(),
                ["urgency_rule"] = assessment.Urgency.RuleId,
                ["low_confidence"] = assessment.Urgency.Confidence.IsLow,
            },
        };
    }
}
