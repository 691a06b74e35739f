using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Generation;

/// <summary>Picks the next token from last-position logits: argmax, or seeded temperature + top-p sampling.</summary>
public sealed class TokenSampler(GenerationOptions options)
{
    private readonly torch.Generator? _random = options.Temperature > 0 ? new torch.Generator(options.Seed) : null;

    /// <summary>logits: [V] fp32 on the CPU. Returns the token and its log-probability under the model (T = 1).</summary>
    public (int Token, float Logprob) Next(Tensor logits)
    {
        var logprobs = logits.log_softmax(-1);
        var token = _random is null ? (int)logits.argmax().item<long>() : Sample(logits);
        return (token, logprobs[token].item<float>());
    }

    private int Sample(Tensor logits)
    {
        var probs = (logits / options.Temperature).softmax(-1);
        if (options.TopP < 1)
        {
            var (sorted, order) = probs.sort(descending: true);
            var before = sorted.cumsum(0) - sorted;        // mass of strictly more likely tokens
            sorted.masked_fill_(before >= options.TopP, 0); // the most likely token always stays (before = 0)
            var choice = torch.multinomial(sorted, 1, generator: _random).item<long>();
            return (int)order[choice].item<long>();
        }
        return (int)torch.multinomial(probs, 1, generator: _random).item<long>();
    }
}
