namespace LlavaRad.Model;

/// <summary>
/// Every tensor name of the canonical format (DESIGN.md 4.2) with the shape the config implies.
/// The loader checks files against this, because TorchSharp.PyBridge does not check shapes.
/// </summary>
public static class CheckpointLayout
{
    public const string VisionPrefix = "model.vision_tower.";

    public static IReadOnlyDictionary<string, long[]> Expected(ModelConfig config)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        AddLanguageModel(shapes, config.TextConfig);
        AddProjector(shapes, config.VisionConfig.HiddenSize, config.TextConfig.HiddenSize);
        AddVisionTower(shapes, config.VisionConfig);
        return shapes;
    }

    private static void AddLanguageModel(Dictionary<string, long[]> shapes, TextConfig t)
    {
        long h = t.HiddenSize, kv = (long)t.NumKeyValueHeads * t.HeadDim, ffn = t.IntermediateSize;
        shapes["model.embed_tokens.weight"] = [t.VocabSize, h];
        for (var i = 0; i < t.NumHiddenLayers; i++)
        {
            var layer = $"model.layers.{i}.";
            shapes[layer + "self_attn.q_proj.weight"] = [h, h];
            shapes[layer + "self_attn.k_proj.weight"] = [kv, h];
            shapes[layer + "self_attn.v_proj.weight"] = [kv, h];
            shapes[layer + "self_attn.o_proj.weight"] = [h, h];
            shapes[layer + "mlp.gate_proj.weight"] = [ffn, h];
            shapes[layer + "mlp.up_proj.weight"] = [ffn, h];
            shapes[layer + "mlp.down_proj.weight"] = [h, ffn];
            shapes[layer + "input_layernorm.weight"] = [h];
            shapes[layer + "post_attention_layernorm.weight"] = [h];
        }
        shapes["model.norm.weight"] = [h];
        shapes["lm_head.weight"] = [t.VocabSize, h];
    }

    private static void AddProjector(Dictionary<string, long[]> shapes, long visionWidth, long textWidth)
    {
        shapes["model.mm_projector.0.weight"] = [textWidth, visionWidth];
        shapes["model.mm_projector.0.bias"] = [textWidth];
        shapes["model.mm_projector.2.weight"] = [textWidth, textWidth];
        shapes["model.mm_projector.2.bias"] = [textWidth];
    }

    private static void AddVisionTower(Dictionary<string, long[]> shapes, VisionConfig v)
    {
        long d = v.HiddenSize, ffn = v.IntermediateSize, p = v.PatchSize;
        var tower = VisionPrefix;
        shapes[tower + "cls_token"] = [1, 1, d];
        shapes[tower + "pos_embed"] = [1, 1 + v.NumPatches, d];
        shapes[tower + "patch_embed.proj.weight"] = [d, 3, p, p];
        shapes[tower + "patch_embed.proj.bias"] = [d];
        for (var i = 0; i < v.NumHiddenLayers; i++)
        {
            var block = $"{tower}blocks.{i}.";
            shapes[block + "norm1.weight"] = [d];
            shapes[block + "norm1.bias"] = [d];
            shapes[block + "attn.qkv.weight"] = [3 * d, d];
            shapes[block + "attn.qkv.bias"] = [3 * d];
            shapes[block + "attn.proj.weight"] = [d, d];
            shapes[block + "attn.proj.bias"] = [d];
            shapes[block + "ls1.gamma"] = [d];
            shapes[block + "norm2.weight"] = [d];
            shapes[block + "norm2.bias"] = [d];
            shapes[block + "mlp.fc1.weight"] = [ffn, d];
            shapes[block + "mlp.fc1.bias"] = [ffn];
            shapes[block + "mlp.fc2.weight"] = [d, ffn];
            shapes[block + "mlp.fc2.bias"] = [d];
            shapes[block + "ls2.gamma"] = [d];
        }
        shapes[tower + "norm.weight"] = [d];
        shapes[tower + "norm.bias"] = [d];
    }
}
