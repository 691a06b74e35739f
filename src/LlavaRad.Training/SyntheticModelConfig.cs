using LlavaRad.Model;

namespace LlavaRad.Training;

/// <summary>
/// The size of the model trained on synthetic radiographs: small enough to train on two CPU cores in minutes, big
/// enough to read five findings off a 96-pixel image. 36 image rows (96 / 16 squared) keep sequences short.
/// </summary>
public static class SyntheticModelConfig
{
    public const string ModelId = "llava-rad-tiny-synthetic-cxr";

    public static ModelConfig Create(int vocabSize, string version) => new()
    {
        ModelType = "llava_rad",
        ModelId = ModelId,
        ModelVersion = version,
        TorchDtype = "float32",
        TextConfig = new TextConfig
        {
            VocabSize = vocabSize, HiddenSize = 96, IntermediateSize = 256, NumHiddenLayers = 3, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, RmsNormEps = 1e-5, RopeTheta = 10000, MaxPositionEmbeddings = 1024, BosTokenId = 1, EosTokenId = 2,
        },
        VisionConfig = new VisionConfig
        {
            ImageSize = 96, PatchSize = 16, HiddenSize = 64, NumHiddenLayers = 4, NumAttentionHeads = 4,
            IntermediateSize = 256, LayerNormEps = 1e-6,
        },
        MmProjectorType = "mlp2x_gelu",
        MmVisionSelectLayer = -2,
        MmVisionSelectFeature = "patch",
        ImageMean = [0.48145466f, 0.4578275f, 0.40821073f],
        ImageStd = [0.26862954f, 0.26130258f, 0.27577711f],
    };
}
