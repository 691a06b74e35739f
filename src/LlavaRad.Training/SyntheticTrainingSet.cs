using LlavaRad.Model;
using LlavaRad.Model.Preprocessing;
using LlavaRad.Model.Tokenization;
using LlavaRad.Model.Training;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Training;

/// <summary>
/// Generated cases as trainer examples: each DICOM file is read back through the Part 10 reader and the grayscale
/// pipeline, resized and cropped exactly as inference does, and paired with the Vicuna v1 prompt (half with an
/// indication) and its findings text.
/// </summary>
public static class SyntheticTrainingSet
{
    /// <summary>Image-level labels for the vision pre-training probe, in this order.</summary>
    public static readonly IReadOnlyList<string> ImageLabelNames =
    [
        "cardiomegaly", "effusion-right", "effusion-left", "pneumothorax-right", "pneumothorax-left",
        "consolidation-rll", "consolidation-lll", "consolidation-rul", "endotracheal-tube", "central-line", "pacemaker",
    ];

    public static List<TrainingExample> Build(IReadOnlyList<SyntheticCase> cases, ModelConfig config, SentencePieceTokenizer tokenizer, int seed)
    {
        var random = new Random(seed);
        return cases.Select(c =>
        {
            var image = ImagePreprocessor.ResizeAndCrop(SyntheticImageReader.Read(c.Dicom), config.VisionConfig.ImageSize)[0];
            var prompt = PromptTemplate.IdsFor(tokenizer, Indications.Draw(random)).ToArray();
            var target = tokenizer.Encode(c.FindingsText, addBos: false).Select(id => (long)id).Append(tokenizer.EosId).ToArray();
            return new TrainingExample(image, prompt, target, ImageLabels(c.Findings));
        }).ToList();
    }

    public static float[] ImageLabels(SyntheticFindings f)
    {
        static float B(bool x) => x ? 1f : 0f;
        return
        [
            B(f.Cardiomegaly), B(f.Effusion is Side.Right or Side.Both), B(f.Effusion is Side.Left or Side.Both),
            B(f.Pneumothorax == Side.Right), B(f.Pneumothorax == Side.Left),
            B(f.Consolidation == ConsolidationSite.RightLowerLobe), B(f.Consolidation == ConsolidationSite.LeftLowerLobe),
            B(f.Consolidation == ConsolidationSite.RightUpperLobe),
            B(f.Device == SupportDevice.EndotrachealTube), B(f.Device == SupportDevice.CentralLine), B(f.Device == SupportDevice.Pacemaker),
        ];
    }
}
