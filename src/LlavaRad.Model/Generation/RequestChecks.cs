using LlavaRad.Model.Architecture;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Model.Generation;

/// <summary>What a request must pass before any work is done for it, the same in <see cref="TextGenerator"/> and <see cref="ContinuousBatcher"/>.</summary>
internal static class RequestChecks
{
    /// <summary>Valid options this generator can honour: stop strings are matched on text, which needs a tokenizer.</summary>
    public static void Options(GenerationOptions options, SentencePieceTokenizer? tokenizer)
    {
        options.Validate();
        if (tokenizer is null && options.StopStrings.Count > 0) throw new ArgumentException("stop strings need a tokenizer");
    }

    /// <summary>The prompt's decoder positions (image slot checked), which with the new tokens must fit max_position_embeddings.</summary>
    public static long Positions(LlavaRadModel model, GenerationRequest request, GenerationOptions options)
    {
        var positions = model.PromptPositions(request.PromptIds, request.Pixels is not null);
        Fits(positions, options.MaxNewTokens, model.Config.TextConfig.MaxPositionEmbeddings, "max_position_embeddings");
        return positions;
    }

    public static void Fits(long positions, int newTokens, long limit, string what)
    {
        if (positions + newTokens > limit)
            throw new ArgumentException($"prompt of {positions} positions + {newTokens} new tokens exceeds {what} {limit}");
    }
}
