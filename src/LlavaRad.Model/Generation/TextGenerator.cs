using System.Diagnostics;
using LlavaRad.Model.Architecture;
using LlavaRad.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Generation;

/// <summary>One request: a normalised image ([3, S, S] or [1, 3, S, S]; null for text only) and prompt ids with its -200 slot.</summary>
public sealed record GenerationRequest(Tensor? Pixels, IReadOnlyList<long> PromptIds);

/// <summary>
/// Autoregressive decoding with a KV cache: one prefill over the spliced prompt, then one token per step. A batch
/// of prompts of different lengths is left-padded; an attention mask hides the padding and each row's positions
/// count only its own tokens, so every row gets the tokens it would get alone.
/// This is the reference path: the whole batch at once, nothing scheduled. <see cref="ContinuousBatcher"/> must give
/// every request exactly the tokens this gives it, and its tests hold it to that.
/// </summary>
/// <remarks>Without a tokenizer (bare test models) ids and log-probabilities are produced but no text, and stop strings are refused.</remarks>
public sealed class TextGenerator(LlavaRadModel model, SentencePieceTokenizer? tokenizer)
{
    public GenerationResult Generate(GenerationRequest request, GenerationOptions options, Action<GeneratedToken>? onToken = null,
        CancellationToken cancellationToken = default) =>
        GenerateBatch([request], options, onToken is null ? null : (_, token) => onToken(token), cancellationToken)[0];

    /// <param name="onToken">called for every generated token with the request's index (streaming)</param>
    public IReadOnlyList<GenerationResult> GenerateBatch(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        Action<int, GeneratedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        RequestChecks.Options(options, tokenizer);
        if (requests.Count == 0) return [];
        foreach (var request in requests) RequestChecks.Positions(model, request, options);
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope(); // the cache, masks and prompt embeddings of this call
        var clock = Stopwatch.StartNew();

        var prompts = EmbedPrompts(requests);                                     // B x [L_b, D]
        var vision = clock.Elapsed;
        var batch = prompts.Count;
        var lengths = prompts.Select(p => p.shape[0]).ToArray();
        var longest = lengths.Max();
        var capacity = longest + options.MaxNewTokens;
        using var cache = new KvCache(model.Config.TextConfig, batch, capacity, model.Dtype, model.Device);

        // Prefill. Batch of one: plain causal attention. Otherwise left padding + mask.
        Tensor? keyMask = null; // [B, capacity] true where a real token sits
        Tensor embeds, positions, logits;
        var mask = AttentionMask.Causal;
        if (batch == 1)
        {
            embeds = prompts[0].unsqueeze(0);
            positions = arange(longest, device: model.Device).unsqueeze(0);
        }
        else
        {
            embeds = zeros([batch, longest, prompts[0].shape[1]], model.Dtype, model.Device);
            keyMask = zeros([batch, capacity], ScalarType.Bool, model.Device);
            for (var b = 0; b < batch; b++)
            {
                embeds[b].narrow(0, longest - lengths[b], lengths[b]).copy_(prompts[b]);
                keyMask[b].narrow(0, longest - lengths[b], lengths[b]).fill_(true);
            }
            var real = keyMask.narrow(1, 0, longest);
            positions = (real.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);                  // [B, L]
            mask = AttentionMask.LeftPaddedPrompts(real);                                        // [B, 1, L, L]
        }
        logits = model.Decoder.ForwardLast(embeds, positions, cache, mask).to(ScalarType.Float32).cpu().DetachFromDisposeScope();
        var prefill = clock.Elapsed - vision;

        var rows = Enumerable.Range(0, batch).Select(_ => new SequenceState(tokenizer, options, model.Config.TextConfig.EosTokenId)).ToArray();
        var nextPosition = lengths.ToArray();
        try
        {
            for (var step = 0; ; step++)
            {
                using (NewDisposeScope()) // sampling temporaries of this step
                    for (var b = 0; b < batch; b++)
                    {
                        if (rows[b].Finish is not null) continue;
                        var token = rows[b].Accept(logits[b], step + 1 == options.MaxNewTokens);
                        onToken?.Invoke(b, token);
                    }
                if (rows.All(r => r.Finish is not null)) break;
                if (cancellationToken.IsCancellationRequested)
                {
                    foreach (var row in rows.Where(r => r.Finish is null)) row.Finish = FinishReason.Cancelled;
                    break;
                }

                using var stepScope = NewDisposeScope();
                var ids = tensor(rows.Select(r => (long)r.Tokens[^1]).ToArray(), device: model.Device).unsqueeze(1); // [B, 1]
                var stepPositions = tensor(nextPosition, device: model.Device).unsqueeze(1);                          // [B, 1]
                var stepMask = AttentionMask.AllKeys;
                if (keyMask is not null)
                {
                    keyMask.narrow(1, cache.Length, 1).fill_(true);
                    stepMask = AttentionMask.OneStep(keyMask.narrow(1, 0, cache.Length + 1));                     // [B, 1, 1, S]
                }
                var next = model.Decoder.ForwardLast(model.Decoder.Embed(ids), stepPositions, cache, stepMask).to(ScalarType.Float32).cpu();
                logits.Dispose();
                logits = next.DetachFromDisposeScope();
                for (var b = 0; b < batch; b++) nextPosition[b]++;
            }
        }
        finally
        {
            logits.Dispose();
        }
        var timings = new GenerationTimings(vision, prefill, clock.Elapsed - vision - prefill);
        return rows.Select((r, b) => r.Result((int)lengths[b], timings)).ToList();
    }

    private List<Tensor> EmbedPrompts(IReadOnlyList<GenerationRequest> requests)
    {
        Tensor? images = null;
        if (requests.All(r => r.Pixels is not null))
            images = model.EncodeImages(torch.cat(requests.Select(r => r.Pixels!.dim() == 3 ? r.Pixels.unsqueeze(0) : r.Pixels).ToArray(), 0)); // [B, N, D]
        return requests.Select((r, b) => model.EmbedPrompt(r.PromptIds,
            images is not null ? images[b] : r.Pixels is null ? null : model.EncodeImages(r.Pixels.dim() == 3 ? r.Pixels.unsqueeze(0) : r.Pixels)[0])).ToList();
    }
}
