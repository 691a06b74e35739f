using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LlavaRad.Model;

/// <summary>
/// A canonical model directory: config.json, tokenizer.model and either one *.safetensors file or shards listed in
/// model.safetensors.index.json.
/// </summary>
public sealed class ModelDirectory
{
    public const string ConfigFile = "config.json";
    public const string TokenizerFile = "tokenizer.model";
    public const string SingleWeightsFile = "model.safetensors";
    public const string ShardIndexFile = "model.safetensors.index.json";

    private ModelDirectory(string path, ModelConfig config, IReadOnlyList<string> weightFiles)
    {
        Path = path;
        Config = config;
        WeightFiles = weightFiles;
    }

    public string Path { get; }
    public ModelConfig Config { get; }
    public IReadOnlyList<string> WeightFiles { get; }
    public string TokenizerPath => System.IO.Path.Combine(Path, TokenizerFile);

    /// <summary>Serving metadata needs no tokenizer; generation does, and checks for it itself.</summary>
    public bool HasTokenizer => File.Exists(TokenizerPath);

    public static ModelDirectory Open(string path)
    {
        if (!Directory.Exists(path))
            throw new InvalidModelException(InvalidModelException.MissingFile, $"model directory {path} does not exist");
        var configPath = RequireFile(path, ConfigFile);
        var config = ModelConfig.Load(configPath);
        return new ModelDirectory(path, config, FindWeightFiles(path));
    }

    /// <summary>
    /// SHA-256 of the weights. One file: the file's own digest (what sha256sum prints). Shards: the digest of the
    /// sha256sum-style lines "hex  name\n" of the shards in ordinal name order.
    /// </summary>
    public string ComputeWeightsSha256()
    {
        if (WeightFiles.Count == 1) return HashFile(WeightFiles[0]);
        var lines = new StringBuilder();
        foreach (var file in WeightFiles.OrderBy(System.IO.Path.GetFileName, StringComparer.Ordinal))
            lines.Append(HashFile(file)).Append("  ").Append(System.IO.Path.GetFileName(file)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    private static string HashFile(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string RequireFile(string directory, string name)
    {
        var file = System.IO.Path.Combine(directory, name);
        if (!File.Exists(file))
            throw new InvalidModelException(InvalidModelException.MissingFile, $"model directory {directory} has no {name}");
        return file;
    }

    private static IReadOnlyList<string> FindWeightFiles(string directory)
    {
        var index = System.IO.Path.Combine(directory, ShardIndexFile);
        if (File.Exists(index)) return ShardsFromIndex(directory, index);

        var single = Directory.GetFiles(directory, "*.safetensors");
        return single.Length switch
        {
            1 => single,
            0 => throw new InvalidModelException(InvalidModelException.MissingFile, $"model directory {directory} has no *.safetensors weights"),
            _ => throw new InvalidModelException(InvalidModelException.BadWeights,
                $"model directory {directory} has {single.Length} *.safetensors files but no {ShardIndexFile}"),
        };
    }

    private static IReadOnlyList<string> ShardsFromIndex(string directory, string index)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(index));
            var shards = json.RootElement.GetProperty("weight_map").EnumerateObject()
                .Select(p => p.Value.GetString() ?? "")
                .Distinct(StringComparer.Ordinal)
                .Select(name => RequireFile(directory, name))
                .ToList();
            if (shards.Count == 0) throw new InvalidModelException(InvalidModelException.BadWeights, $"{index} lists no shards");
            return shards;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidModelException(InvalidModelException.BadWeights, $"{index}: no valid weight_map: {e.Message}");
        }
    }
}
