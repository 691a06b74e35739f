namespace LlavaRad.Model.Tokenization;

/// <summary>
/// The LLaVA-Rad evaluation prompt: Vicuna "v1" conversation (conv_vicuna_v1, SeparatorStyle.TWO, sep " ") around
/// the findings instruction, tokenised chunk by chunk around "&lt;image&gt;" (LLaVA tokenizer_image_token).
/// </summary>
public static class PromptTemplate
{
    public const string ImagePlaceholder = "<image>";
    public const string SystemText =
        "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions.";
    public const string InstructionWithoutIndication = "Provide a description of the findings in the radiology image.";
    public const string InstructionWithIndication = "Provide a description of the findings in the radiology image given the following indication: ";

    /// <summary>
    /// The user message as model_mimic_cxr.py builds it: only '\n' in the indication becomes ' ' (double spaces
    /// stay), then the text without the placeholder is stripped and "&lt;image&gt;\n" is put in front.
    /// </summary>
    public static string UserMessage(string? indication)
    {
        var text = string.IsNullOrEmpty(indication) ? InstructionWithoutIndication : InstructionWithIndication + indication.Replace('\n', ' ');
        return ImagePlaceholder + "\n" + text.Replace(ImagePlaceholder, "").Trim();
    }

    /// <summary>system + " " + "USER: " + message + " " + "ASSISTANT:" (no trailing space).</summary>
    public static string Prompt(string? indication) => $"{SystemText} USER: {UserMessage(indication)} ASSISTANT:";

    /// <summary>
    /// Every chunk between placeholders is encoded as sentencepiece does with a BOS; the first chunk keeps its BOS,
    /// later chunks drop it, and one -200 image slot goes between chunks.
    /// </summary>
    public static List<long> Tokenize(SentencePieceTokenizer tokenizer, string prompt)
    {
        var ids = new List<long>();
        var chunks = prompt.Split(ImagePlaceholder);
        for (var i = 0; i < chunks.Length; i++)
        {
            if (i > 0) ids.Add(Architecture.LlavaRadModel.ImageTokenIndex);
            var chunk = tokenizer.Encode(chunks[i], addBos: true);
            ids.AddRange((i == 0 ? chunk : chunk.Skip(1)).Select(id => (long)id));
        }
        return ids;
    }

    /// <summary>Prompt ids for an image and an optional indication (reason for exam).</summary>
    public static List<long> IdsFor(SentencePieceTokenizer tokenizer, string? indication) => Tokenize(tokenizer, Prompt(indication));
}
