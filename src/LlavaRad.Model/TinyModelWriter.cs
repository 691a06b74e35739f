using LlavaRad.Model.Tokenization;
using TorchSharp;
using TorchSharp.PyBridge;

namespace LlavaRad.Model;

/// <summary>
/// Writes a small, randomly initialised model directory in the canonical format, for demos and tests on machines
/// where the real weights cannot be fetched. Deterministic for a given seed.
/// </summary>
public static class TinyModelWriter
{
    public static ModelConfig DefaultConfig => new()
    {
        ModelType = "llava_rad",
        ModelId = "llava-rad-tiny-random",
        ModelVersion = "0.1.0",
        TorchDtype = "float32",
        TextConfig = new TextConfig
        {
            VocabSize = 512, HiddenSize = 64, IntermediateSize = 172, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, RmsNormEps = 1e-5, RopeTheta = 10000, MaxPositionEmbeddings = 512,
            BosTokenId = 1, EosTokenId = 2,
        },
        VisionConfig = new VisionConfig
        {
            ImageSize = 64, PatchSize = 16, HiddenSize = 48, NumHiddenLayers = 3, NumAttentionHeads = 4,
            IntermediateSize = 192, LayerNormEps = 1e-6,
        },
        MmProjectorType = "mlp2x_gelu",
        MmVisionSelectLayer = -2,
        MmVisionSelectFeature = "patch",
        ImageMean = [0.48145466f, 0.4578275f, 0.40821073f],
        ImageStd = [0.26862954f, 0.26130258f, 0.27577711f],
    };

    /// <summary>
    /// Writes config.json, model.safetensors and a tiny SentencePiece tokenizer.model of the config's vocabulary
    /// size (the real LLaMA tokenizer cannot be shipped with the product).
    /// </summary>
    public static void Write(string directory, ModelConfig config, ulong seed)
    {
        config.Validate("tiny model config");
        Directory.CreateDirectory(directory);
        config.Save(Path.Combine(directory, ModelDirectory.ConfigFile));
        TinySentencePieceWriter.Write(Path.Combine(directory, ModelDirectory.TokenizerFile), config.TextConfig.VocabSize);

        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(seed);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in CheckpointLayout.Expected(config))
            tensors[name] = IsNormScale(name)
                ? torch.ones(shape)
                : torch.randn(shape, generator: generator).mul_(0.02);
        Safetensors.SaveStateDict(Path.Combine(directory, ModelDirectory.SingleWeightsFile), tensors);
    }

    private static bool IsNormScale(string name) =>
        name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("norm1.weight", StringComparison.Ordinal)
        || name.EndsWith("norm2.weight", StringComparison.Ordinal);
}
