namespace LlavaRad.Model.Generation;

/// <summary>How to pick tokens. Defaults are LLaVA-Rad's evaluation: greedy, at most 256 new tokens, stop at EOS.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;
    /// <summary>0 = greedy (argmax). Above 0: sample from softmax(logits / temperature).</summary>
    public double Temperature { get; init; }
    /// <summary>Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches TopP.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Seed of the sampling generator; the same seed, prompt and image give the same tokens.</summary>
    public ulong Seed { get; init; }
    /// <summary>Generation ends when the text contains one of these; the text is cut before it.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), $"max new tokens must be at least 1, not {MaxNewTokens}");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), $"temperature must be 0 (greedy) or positive, not {Temperature}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), $"top-p must lie in (0, 1], not {TopP}");
        if (StopStrings.Any(string.IsNullOrEmpty)) throw new ArgumentException("stop strings must not be empty", nameof(StopStrings));
    }
}

public enum FinishReason { Eos, Length, Stop, Cancelled }

/// <summary>One generated token: its id, its natural log-probability under the model, and the text it released.</summary>
public sealed record GeneratedToken(int Id, float Logprob, string TextDelta);

/// <summary>Where a request's time went. Queue: waiting for a batch slot (zero outside the batcher).</summary>
public sealed record GenerationTimings(TimeSpan Vision, TimeSpan Prefill, TimeSpan Decode, TimeSpan Queue = default)
{
    public double DecodeTokensPerSecond(int tokens) => tokens <= 1 || Decode <= TimeSpan.Zero ? 0 : (tokens - 1) / Decode.TotalSeconds;
}

/// <summary>
/// The outcome of one request. <see cref="Text"/> is the concatenation of the streamed deltas (sentencepiece decode
/// of the tokens, cut before a stop string); LLaVA-Rad's evaluation additionally applies strip().
/// </summary>
public sealed record GenerationResult(
    string Text, IReadOnlyList<int> TokenIds, IReadOnlyList<float> Logprobs, FinishReason FinishReason,
    int PromptLength, GenerationTimings Timings);
