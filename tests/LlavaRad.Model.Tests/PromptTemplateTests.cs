using LlavaRad.Model.Tokenization;

namespace LlavaRad.Model.Tests;

public class PromptTemplateTests
{
    // llava-rad-spec.md Appendix A: computed there by a clean-room SentencePiece-BPE, consistent with LLaVA-v1.5 ids.
    private static readonly long[] AppendixANoIndication =
    [
        1, 319, 13563, 1546, 263, 12758, 1404, 322, 385, 23116, 21082, 20255, 29889, 450, 20255, 4076, 8444, 29892,
        13173, 29892, 322, 1248, 568, 6089, 304, 278, 1404, 29915, 29879, 5155, 29889, 3148, 1001, 29901, 29871, -200,
        29871, 13, 1184, 29894, 680, 263, 6139, 310, 278, 1284, 886, 297, 278, 17937, 3002, 1967, 29889,
        319, 1799, 9047, 13566, 29901,
    ];

    private static SentencePieceTokenizer Llama => SentencePieceTokenizer.Load(GoldenData.LlamaTokenizer()!);

    [LlamaTokenizerFact]
    public void NoIndicationPromptGivesTheSpecsFiftyEightIds()
    {
        var ids = PromptTemplate.IdsFor(Llama, indication: null);
        Assert.Equal(58, ids.Count);
        Assert.Equal(AppendixANoIndication, ids);
    }

    [LlamaTokenizerFact]
    public void IndicationPromptContinuesWithGivenTheFollowingIndicationAndKeepsDoubleSpaces()
    {
        var ids = PromptTemplate.IdsFor(Llama, "___-year-old male now with\n recurrent seizures");
        var image = AppendixANoIndication.AsSpan(0, 52).ToArray(); // up to " image"
        Assert.Equal(image, ids.Take(52));
        Assert.Equal([2183L, 278, 1494, 4221, 362, 29901], ids.Skip(52).Take(6)); // " given the following indication:"
        Assert.Equal([319L, 1799, 9047, 13566, 29901], ids.TakeLast(5));          // " ASSISTANT:"
        var withRec = ids.IndexOf(1162);                                           // "▁rec"
        Assert.Equal([411L, 29871, 1162, 1264], ids.Skip(withRec - 2).Take(4));    // "▁with ▁ ▁rec urrent": "\n " -> two spaces
    }

    [Fact]
    public void PromptStringIsVicunaV1WithTheSystemTextAndNoTrailingSpace()
    {
        var prompt = PromptTemplate.Prompt("cough\nfever ");
        Assert.StartsWith("A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions. USER: <image>\n", prompt);
        Assert.EndsWith("indication: cough fever ASSISTANT:", prompt); // '\n' -> ' ', then strip()
        Assert.Contains("curious user", prompt);
        Assert.DoesNotContain("human", prompt);
    }

    [Fact]
    public void EveryChunkAfterAnImageDropsItsBos()
    {
        var tokenizer = TinyTokenizer.Create();
        var ids = PromptTemplate.Tokenize(tokenizer, "ab<image>ab");
        Assert.Equal(1, ids[0]);
        Assert.Equal(1, ids.Count(id => id == 1));
        Assert.Equal(-200, ids[ids.IndexOf(-200)]);
        Assert.Equal(tokenizer.Encode("ab", false).Select(i => (long)i), ids.Skip(ids.IndexOf(-200) + 1));
    }
}
