using LlavaRad.Model.Tokenization;
using static TorchSharp.torch;

namespace LlavaRad.Model.Generation;

/// <summary>Tokens, log-probabilities, released text and finish state of one generated sequence.</summary>
internal sealed class SequenceState(SentencePieceTokenizer? tokenizer, GenerationOptions options, int eosId)
{
    private readonly TokenSampler _sampler = new(options);
    private readonly StreamingDetokenizer? _detokenizer = tokenizer is null ? null : new(tokenizer);
    private readonly StopStringMatcher _stops = new(options.StopStrings);
    private readonly System.Text.StringBuilder _text = new();
    private readonly List<float> _logprobs = [];

    public List<int> Tokens { get; } = [];
    public FinishReason? Finish { get; set; }

    /// <summary>True when the next accepted token is the last one <see cref="GenerationOptions.MaxNewTokens"/> allows.</summary>
    public bool NextIsLast => Tokens.Count + 1 == options.MaxNewTokens;

    /// <param name="logits">[V] fp32 on the CPU</param>
    public GeneratedToken Accept(Tensor logits, bool lastAllowed)
    {
        var (token, logprob) = _sampler.Next(logits);
        Tokens.Add(token);
        _logprobs.Add(logprob);
        var released = _stops.Add(_detokenizer?.Push(token) ?? "");
        if (_stops.Stopped) Finish = FinishReason.Stop;
        else if (token == eosId) Finish = FinishReason.Eos;
        else if (lastAllowed) Finish = FinishReason.Length;
        if (Finish is FinishReason.Eos or FinishReason.Length) released += _stops.Add(_detokenizer?.Flush() ?? "") + _stops.Flush();
        _text.Append(released);
        return new GeneratedToken(token, logprob, released);
    }

    public GenerationResult Result(int promptLength, GenerationTimings timings) =>
        new(_text.ToString(), Tokens, _logprobs, Finish ?? FinishReason.Cancelled, promptLength, timings);
}
