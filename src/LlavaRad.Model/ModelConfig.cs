using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlavaRad.Model;

/// <summary>config.json of the canonical model directory (DESIGN.md 4.2).</summary>
public sealed record ModelConfig
{
    public string ModelType { get; init; } = "";
    public string? ModelId { get; init; }
    public string? ModelVersion { get; init; }
    public string TorchDtype { get; init; } = "float32";
    public TextConfig TextConfig { get; init; } = new();
    public VisionConfig VisionConfig { get; init; } = new();
    public string MmProjectorType { get; init; } = "";
    public int MmVisionSelectLayer { get; init; }
    public string MmVisionSelectFeature { get; init; } = "";
    public float[] ImageMean { get; init; } = [];
    public float[] ImageStd { get; init; } = [];

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ModelConfig Load(string path)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidModelException(InvalidModelException.BadConfig, $"{path}: not valid JSON for a model config: {e.Message}");
        }
        if (config is null) throw new InvalidModelException(InvalidModelException.BadConfig, $"{path}: empty config");
        config.Validate(path);
        return config;
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public void Validate(string source)
    {
        var problems = new List<string>();
        void Require(bool ok, string problem) { if (!ok) problems.Add(problem); }

        Require(ModelType == "llava_rad", $"model_type must be \"llava_rad\", not \"{ModelType}\"");
        Require(MmProjectorType == "mlp2x_gelu", $"mm_projector_type must be \"mlp2x_gelu\", not \"{MmProjectorType}\"");
        Require(MmVisionSelectLayer < 0 && -MmVisionSelectLayer <= VisionConfig.NumHiddenLayers,
            $"mm_vision_select_layer {MmVisionSelectLayer} does not select one of {VisionConfig.NumHiddenLayers} vision blocks");
        Require(MmVisionSelectFeature == "patch", $"mm_vision_select_feature must be \"patch\", not \"{MmVisionSelectFeature}\"");
        Require(ImageMean.Length == 3 && ImageStd.Length == 3, "image_mean and image_std need 3 values each");
        Require(ImageStd.All(s => s > 0), "image_std values must be positive");
        Require(TorchDtype is "float32" or "float16" or "bfloat16", $"torch_dtype \"{TorchDtype}\" is not float32, float16 or bfloat16");
        problems.AddRange(TextConfig.Problems());
        problems.AddRange(VisionConfig.Problems());
        if (problems.Count > 0)
            throw new InvalidModelException(InvalidModelException.BadConfig, $"{source}: {string.Join("; ", problems)}");
    }
}

public sealed record TextConfig
{
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    public double RmsNormEps { get; init; } = 1e-5;
    public double RopeTheta { get; init; } = 10000;
    public int MaxPositionEmbeddings { get; init; }
    public int BosTokenId { get; init; } = 1;
    public int EosTokenId { get; init; } = 2;

    public int HeadDim => NumAttentionHeads == 0 ? 0 : HiddenSize / NumAttentionHeads;

    internal IEnumerable<string> Problems()
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || IntermediateSize <= 0 || NumHiddenLayers <= 0 || MaxPositionEmbeddings <= 0)
            yield return "text_config sizes must be positive";
        if (NumAttentionHeads <= 0 || HiddenSize % NumAttentionHeads != 0)
            yield return $"text_config.hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}";
        if (NumKeyValueHeads <= 0 || NumAttentionHeads % Math.Max(NumKeyValueHeads, 1) != 0)
            yield return $"text_config.num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {NumKeyValueHeads}";
        if (HeadDim % 2 != 0) yield return "text_config head dimension must be even for rotary embeddings";
        if (BosTokenId < 0 || BosTokenId >= VocabSize || EosTokenId < 0 || EosTokenId >= VocabSize)
            yield return "text_config bos/eos token ids must lie inside the vocabulary";
    }
}

public sealed record VisionConfig
{
    public int ImageSize { get; init; }
    public int PatchSize { get; init; }
    public int HiddenSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int IntermediateSize { get; init; }
    public double LayerNormEps { get; init; } = 1e-6;

    public int PatchesPerSide => PatchSize == 0 ? 0 : ImageSize / PatchSize;
    public int NumPatches => PatchesPerSide * PatchesPerSide;

    internal IEnumerable<string> Problems()
    {
        if (ImageSize <= 0 || PatchSize <= 0 || ImageSize % PatchSize != 0)
            yield return $"vision_config.image_size {ImageSize} must be a positive multiple of patch_size {PatchSize}";
        if (HiddenSize <= 0 || IntermediateSize <= 0 || NumHiddenLayers <= 0)
            yield return "vision_config sizes must be positive";
        if (NumAttentionHeads <= 0 || HiddenSize % NumAttentionHeads != 0)
            yield return $"vision_config.hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}";
    }
}
