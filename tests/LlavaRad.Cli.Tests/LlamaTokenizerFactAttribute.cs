namespace LlavaRad.Cli.Tests;

/// <summary>A fact that needs the real LLaMA tokenizer from ../shared; skipped, saying so, where it is absent.</summary>
public sealed class LlamaTokenizerFactAttribute : FactAttribute
{
    public static string? Path()
    {
        var path = System.IO.Path.Combine(ExternalTool.RepoRoot(), "..", "shared", "data", "tokenizer", "llama-tokenizer.model");
        return File.Exists(path) ? path : null;
    }

    public LlamaTokenizerFactAttribute()
    {
        if (Path() is null) Skip = "../shared/data/tokenizer/llama-tokenizer.model is absent (it is never committed); test skipped";
    }
}
