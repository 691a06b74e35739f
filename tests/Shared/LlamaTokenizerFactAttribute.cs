namespace LlavaRad.Tests.Shared;

/// <summary>A fact that needs the real LLaMA tokenizer from ../shared; skipped, saying so, where it is absent (CI has it).</summary>
public sealed class LlamaTokenizerFactAttribute : FactAttribute
{
    public LlamaTokenizerFactAttribute()
    {
        if (Path() is null)
            Skip = "../shared/data/tokenizer/llama-tokenizer.model is absent (it is never committed); LLaMA tokenizer test skipped";
    }

    /// <summary>Full path of ../shared/data/tokenizer/llama-tokenizer.model beside the repository, or null.</summary>
    public static string? Path()
    {
        var path = System.IO.Path.Combine(ExternalTool.RepoRoot(), "..", "shared", "data", "tokenizer", "llama-tokenizer.model");
        return File.Exists(path) ? System.IO.Path.GetFullPath(path) : null;
    }
}
