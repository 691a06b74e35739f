namespace LlavaRad.Model.Tests;

public class ModelConfigTests
{
    [Fact]
    public void ReadsSnakeCaseConfigWrittenByHand()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), """
            {
              "model_type": "llava_rad", "model_id": "llava-rad", "model_version": "1.0",
              "text_config": {"vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008,
                "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
                "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "max_position_embeddings": 4096,
                "bos_token_id": 1, "eos_token_id": 2},
              "vision_config": {"image_size": 518, "patch_size": 14, "hidden_size": 1024, "num_hidden_layers": 24,
                "num_attention_heads": 16, "intermediate_size": 4096, "layer_norm_eps": 1e-06},
              "mm_projector_type": "mlp2x_gelu", "mm_vision_select_layer": -2, "mm_vision_select_feature": "patch",
              "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711]
            }
            """);

        var config = ModelConfig.Load(dir.File("config.json"));

        Assert.Equal(32000, config.TextConfig.VocabSize);
        Assert.Equal(128, config.TextConfig.HeadDim);
        Assert.Equal(37 * 37, config.VisionConfig.NumPatches);
        Assert.Equal(1e-6, config.VisionConfig.LayerNormEps);
        Assert.Equal(0.26130258f, config.ImageStd[1]);
    }

    [Theory]
    [InlineData("\"model_type\": \"llava\"", "model_type")]
    [InlineData("\"mm_projector_type\": \"linear\"", "mm_projector_type")]
    [InlineData("\"num_key_value_heads\": 3", "num_key_value_heads")]
    [InlineData("\"patch_size\": 5", "patch_size")]
    public void RejectsConfigsTheArchitectureCannotServe(string replacement, string namedField)
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        TinyModelWriter.DefaultConfig.Save(path);
        var key = replacement.Split(':')[0];
        var lines = File.ReadAllLines(path).Select(l => l.TrimStart().StartsWith(key, StringComparison.Ordinal)
            ? l[..l.IndexOf(key, StringComparison.Ordinal)] + replacement + (l.TrimEnd().EndsWith(',') ? "," : "")
            : l);
        File.WriteAllLines(path, lines);

        var error = Assert.Throws<InvalidModelException>(() => ModelConfig.Load(path));
        Assert.Equal(InvalidModelException.BadConfig, error.Code);
        Assert.Contains(namedField, error.Message);
    }

    [Fact]
    public void MalformedJsonGetsTheBadConfigCode()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), "{ not json");
        Assert.Equal(InvalidModelException.BadConfig, Assert.Throws<InvalidModelException>(() => ModelConfig.Load(dir.File("config.json"))).Code);
    }
}
