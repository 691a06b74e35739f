using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;

namespace LlavaRad.Model.Tests;

/// <summary>Files written by Golden/make_golden.py, an independent PyTorch / PIL / sentencepiece reference.</summary>
public static class GoldenData
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden");
    public static string TinyModel => Path.Combine(Dir, "tiny-model");
    public static string File(string name) => Path.Combine(Dir, name);

    /// <summary>Read with TorchSharp.PyBridge, not with the loader under test.</summary>
    public static Dictionary<string, torch.Tensor> Tensors(string name) => Safetensors.LoadStateDict(File(name));

    public static JsonDocument Json(string name) => JsonDocument.Parse(System.IO.File.ReadAllText(File(name)));

    /// <summary>The real LLaMA tokenizer from ../shared (never committed); null where absent.</summary>
    public static string? LlamaTokenizer() => LlamaTokenizerFactAttribute.Path();
}
