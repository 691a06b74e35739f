using System.Collections;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.PyBridge;

namespace LlavaRad.Model.Checkpoints;

/// <summary>Where the official release's parts lie (the layout of lmsys/vicuna-7b-v1.5 and microsoft/llava-rad).</summary>
public sealed record OfficialRelease(string VicunaDirectory, string LlavaRadDirectory)
{
    public string AdapterWeights => Path.Combine(LlavaRadDirectory, "adapter_model.bin");
    public string AdapterConfig => Path.Combine(LlavaRadDirectory, "adapter_config.json");
    public string ProjectorWeights => Path.Combine(LlavaRadDirectory, "non_lora_trainables.bin");
    public string LlavaConfig => Path.Combine(LlavaRadDirectory, "config.json");
    public string VisionCheckpoint => Path.Combine(LlavaRadDirectory, "biomedclipcxr_518_checkpoint.pt");
}

/// <summary>
/// Converts the official release into the canonical directory in pure C#: Vicuna shards (pickle .bin or
/// safetensors) with the LoRA merged as W + (alpha / r) · B·A in fp32, the projector from non_lora_trainables.bin
/// (prefixes "base_model.model." stripped), and the open_clip image trunk (state_dict "module.visual.trunk.*").
/// Writes a manifest with the SHA-256 of every input and output. Input tensors are held in memory (≈ 2x the fp16
/// model for the real release).
/// </summary>
public static class OfficialReleaseImporter
{
    public const string ManifestFile = "import-manifest.json";

    public static ModelDirectory Import(OfficialRelease release, string output, string dtype = "float16", Action<string>? progress = null)
    {
        progress ??= _ => { };
        var outType = SafetensorsFile.ScalarType(SafetensorsFile.DtypeOf(dtype));
        var inputs = InputFiles(release);
        Directory.CreateDirectory(output);
        using var scope = torch.NewDisposeScope();

        progress($"reading Vicuna weights from {release.VicunaDirectory}");
        var weights = ReadVicuna(release.VicunaDirectory);
        progress($"merging the LoRA adapter {release.AdapterWeights}");
        MergeLora(weights, release);
        progress($"reading the projector {release.ProjectorWeights}");
        foreach (var (name, tensor) in Pickle(release.ProjectorWeights))
            weights[Strip(Strip(name, "base_model."), "model.")] = tensor; // LLaVA builder: base_model.model.model.mm_projector.* -> model.mm_projector.*
        progress($"reading the vision trunk {release.VisionCheckpoint}");
        foreach (var (name, tensor) in VisionTrunk(release.VisionCheckpoint))
            weights[CheckpointLayout.VisionPrefix + name] = tensor;

        var config = BuildConfig(release, weights, dtype);
        config.Validate(output);
        config.Save(Path.Combine(output, ModelDirectory.ConfigFile));
        File.Copy(Path.Combine(release.VicunaDirectory, ModelDirectory.TokenizerFile), Path.Combine(output, ModelDirectory.TokenizerFile), overwrite: true);

        var expected = CheckpointLayout.Expected(config);
        var missing = expected.Keys.FirstOrDefault(k => !weights.ContainsKey(k));
        if (missing is not null) throw new InvalidModelException(InvalidModelException.WeightsMismatch, $"the release has no tensor for {missing}");
        progress($"writing {expected.Count} tensors as {dtype}");
        var ordered = expected.Keys.Order(StringComparer.Ordinal).Select(name => (name, weights[name].to(outType).contiguous())).ToList();
        SafetensorsWriter.Write(Path.Combine(output, ModelDirectory.SingleWeightsFile), ordered);

        var directory = ModelDirectory.Open(output);
        CheckpointLoader.Validate(directory);
        progress("hashing inputs and outputs for the manifest");
        WriteManifest(output, inputs, directory);
        return directory;
    }

    private static List<string> InputFiles(OfficialRelease release)
    {
        var vicuna = Directory.GetFiles(release.VicunaDirectory).Where(f => f.EndsWith(".bin") || f.EndsWith(".safetensors")).Order(StringComparer.Ordinal).ToList();
        if (vicuna.Count == 0) throw Missing($"{release.VicunaDirectory} has no *.bin or *.safetensors Vicuna weights");
        var files = new List<string>(vicuna) { Path.Combine(release.VicunaDirectory, "config.json"), Path.Combine(release.VicunaDirectory, ModelDirectory.TokenizerFile),
            release.AdapterWeights, release.AdapterConfig, release.ProjectorWeights, release.VisionCheckpoint };
        foreach (var file in files.Where(f => !File.Exists(f))) throw Missing($"the release is missing {file}");
        return files;
    }

    private static Dictionary<string, torch.Tensor> ReadVicuna(string directory)
    {
        var weights = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            IEnumerable<(string, torch.Tensor)> tensors = file.EndsWith(".safetensors")
                ? SafetensorsFile.Load(file, SafetensorsFile.ReadHeader(file))
                : file.EndsWith(".bin") ? Pickle(file) : [];
            foreach (var (name, tensor) in tensors)
                if (!name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)) weights[name] = tensor; // derived, not weights
        }
        return weights;
    }

    private static void MergeLora(Dictionary<string, torch.Tensor> weights, OfficialRelease release)
    {
        var config = JsonNode.Parse(File.ReadAllText(release.AdapterConfig))!;
        var scale = config["lora_alpha"]!.GetValue<double>() / config["r"]!.GetValue<double>();
        var adapter = Pickle(release.AdapterWeights).ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        foreach (var (name, a) in adapter.Where(p => p.Key.EndsWith(".lora_A.weight", StringComparison.Ordinal)))
        {
            var stem = name[..^".lora_A.weight".Length];
            var target = Strip(stem, "base_model.model.") + ".weight";
            if (!adapter.TryGetValue(stem + ".lora_B.weight", out var b)) throw Bad($"{release.AdapterWeights}: {name} has no lora_B partner");
            if (!weights.TryGetValue(target, out var w)) throw Bad($"{release.AdapterWeights}: {name} adapts {target}, which Vicuna lacks");
            // [out, in] + scale * [out, r] @ [r, in], all in fp32
            weights[target] = w.to(torch.float32) + scale * b.to(torch.float32).matmul(a.to(torch.float32));
        }
    }

    private static IEnumerable<(string Name, torch.Tensor Tensor)> VisionTrunk(string checkpoint)
    {
        const string trunk = "module.visual.trunk.";
        var root = PyTorchUnpickler.UnpickleStateDict(checkpoint);
        var state = root["state_dict"] as IDictionary ?? throw Bad($"{checkpoint} has no state_dict");
        foreach (DictionaryEntry entry in state)
            if (entry.Key is string key && key.StartsWith(trunk, StringComparison.Ordinal) && entry.Value is torch.Tensor t)
                yield return (key[trunk.Length..], t);
    }

    private static IEnumerable<(string Name, torch.Tensor Tensor)> Pickle(string file)
    {
        Hashtable table;
        try { table = PyTorchUnpickler.UnpickleStateDict(file); }
        catch (Exception e) when (e is InvalidDataException or NotImplementedException or InvalidCastException or InvalidOperationException)
        {
            throw Bad($"{file} is not a torch.save state dict: {e.Message}");
        }
        foreach (DictionaryEntry entry in table)
            if (entry.Key is string key && entry.Value is torch.Tensor t) yield return (key, t);
    }

    private static ModelConfig BuildConfig(OfficialRelease release, Dictionary<string, torch.Tensor> w, string dtype)
    {
        var vicuna = JsonNode.Parse(File.ReadAllText(Path.Combine(release.VicunaDirectory, "config.json")))!;
        var llava = File.Exists(release.LlavaConfig) ? JsonNode.Parse(File.ReadAllText(release.LlavaConfig))! : new JsonObject();
        int Int(JsonNode node, string key, int fallback) => node[key]?.GetValue<int>() ?? fallback;
        var heads = Int(vicuna, "num_attention_heads", 0);
        var patch = w[CheckpointLayout.VisionPrefix + "patch_embed.proj.weight"].shape;        // [D, 3, p, p]
        var patches = w[CheckpointLayout.VisionPrefix + "pos_embed"].shape[1] - 1;              // N
        var width = (int)patch[0];
        var blocks = w.Keys.Count(k => k.StartsWith(CheckpointLayout.VisionPrefix + "blocks.", StringComparison.Ordinal) && k.EndsWith(".norm1.weight", StringComparison.Ordinal));
        return new ModelConfig
        {
            ModelType = "llava_rad",
            ModelId = "llava-rad",
            ModelVersion = "imported",
            TorchDtype = dtype,
            TextConfig = new TextConfig
            {
                VocabSize = Int(vicuna, "vocab_size", 0), HiddenSize = Int(vicuna, "hidden_size", 0),
                IntermediateSize = Int(vicuna, "intermediate_size", 0), NumHiddenLayers = Int(vicuna, "num_hidden_layers", 0),
                NumAttentionHeads = heads, NumKeyValueHeads = Int(vicuna, "num_key_value_heads", heads),
                RmsNormEps = vicuna["rms_norm_eps"]?.GetValue<double>() ?? 1e-5,
                RopeTheta = vicuna["rope_theta"]?.GetValue<double>() ?? 10000, // transformers 4.31 default
                MaxPositionEmbeddings = Int(vicuna, "max_position_embeddings", 0),
                BosTokenId = Int(vicuna, "bos_token_id", 1), EosTokenId = Int(vicuna, "eos_token_id", 2),
            },
            VisionConfig = new VisionConfig
            {
                ImageSize = (int)(Math.Sqrt(patches) * patch[2]), PatchSize = (int)patch[2], HiddenSize = width,
                NumHiddenLayers = blocks, NumAttentionHeads = Math.Max(1, width / 64), // not in the weights: timm DINOv2 ViTs use 64-wide heads (ViT-B: 12)
                IntermediateSize = (int)w[CheckpointLayout.VisionPrefix + "blocks.0.mlp.fc1.weight"].shape[0], LayerNormEps = 1e-6,
            },
            MmProjectorType = llava["mm_projector_type"]?.GetValue<string>() ?? "mlp2x_gelu",
            MmVisionSelectLayer = Int(llava, "mm_vision_select_layer", -2),
            MmVisionSelectFeature = llava["mm_vision_select_feature"]?.GetValue<string>() ?? "patch",
            ImageMean = [0.48145466f, 0.4578275f, 0.40821073f], // open_clip OPENAI_DATASET_MEAN/STD
            ImageStd = [0.26862954f, 0.26130258f, 0.27577711f],
        };
    }

    private static void WriteManifest(string output, IEnumerable<string> inputs, ModelDirectory directory)
    {
        static JsonObject Entry(string file) => new() { ["path"] = Path.GetFullPath(file), ["bytes"] = new FileInfo(file).Length, ["sha256"] = Sha256(file) };
        var manifest = new JsonObject
        {
            ["inputs"] = new JsonArray(inputs.Select(f => (JsonNode)Entry(f)).ToArray()),
            ["outputs"] = new JsonArray(new[] { ModelDirectory.ConfigFile, ModelDirectory.TokenizerFile }.Select(f => Path.Combine(output, f))
                .Concat(directory.WeightFiles).Select(f => (JsonNode)Entry(f)).ToArray()),
            ["weights_sha256"] = directory.ComputeWeightsSha256(),
        };
        File.WriteAllText(Path.Combine(output, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        // The release's terms travel with the converted weights; a node will not serve them unacknowledged.
        ModelLicence.OfficialLlavaRad.Write(output);
    }

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Strip(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    private static InvalidModelException Missing(string message) => new(InvalidModelException.MissingFile, message);
    private static InvalidModelException Bad(string message) => new(InvalidModelException.BadWeights, message);
}
