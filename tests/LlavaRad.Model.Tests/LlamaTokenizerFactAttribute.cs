namespace LlavaRad.Model.Tests;

/// <summary>A fact that needs the real LLaMA tokenizer from ../shared; skipped, saying so, where it is absent.</summary>
public sealed class LlamaTokenizerFactAttribute : FactAttribute
{
    public LlamaTokenizerFactAttribute()
    {
        if (GoldenData.LlamaTokenizer() is null)
            Skip = "../shared/data/tokenizer/llama-tokenizer.model is absent (it is never committed); LLaMA tokenizer tests skipped";
    }
}
