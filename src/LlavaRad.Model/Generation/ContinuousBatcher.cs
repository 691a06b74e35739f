using System.Diagnostics;
using LlavaRad.Model.Architecture;
using LlavaRad.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Generation;

/// <summary>
/// Iteration-level (continuous) batching on one device. One loop thread repeats a step:
/// <list type="number">
/// <item>sequences whose call was cancelled (or passed its deadline) leave and free their slot;</item>
/// <item>waiting requests are admitted in queue order while the batch has a slot and the token budget has room;
///   their images go through the vision tower together;</item>
/// <item>at most <see cref="BatcherOptions.PrefillChunkTokens"/> prompt positions are prefilled, each sequence in its
///   own staging cache (plain causal attention, chunked with an offset mask), so a long prompt stalls decodes by
///   one chunk only; a finished prefill samples the first token and moves the cache into a row of the pool;</item>
/// <item>one decode step for every decoding row together: per-row positions, right-padded rows of the
///   <see cref="SlotKvCache"/> and a key mask, so each row gets the tokens it would get alone.</item>
/// </list>
/// </summary>
public sealed class ContinuousBatcher : IDisposable
{
    private readonly LlavaRadModel _model;
    private readonly SentencePieceTokenizer? _tokenizer;
    private readonly BatcherOptions _options;
    private readonly SlotKvCache _pool;
    private readonly int _tokenBudget;
    private readonly object _lock = new();
    private readonly List<BatchSequence> _waiting = [];       // guarded by _lock
    private readonly Queue<BatchSequence> _prefilling = new(); // loop thread only
    private readonly List<BatchSequence> _decoding = [];      // loop thread only; index == pool row
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private long _arrivals;
    private int _inFlight;                                    // admitted and not yet finished, for other threads
    private double _cacheUsage;
    private volatile bool _accepting = true, _cutOff, _exit;

    public ContinuousBatcher(LlavaRadModel model, SentencePieceTokenizer? tokenizer, BatcherOptions options)
    {
        options.Validate();
        _model = model;
        _tokenizer = tokenizer;
        _options = options;
        var capacity = model.Config.TextConfig.MaxPositionEmbeddings;
        _tokenBudget = options.MaxBatchTokens > 0 ? options.MaxBatchTokens : options.MaxBatchSize * capacity;
        _pool = new SlotKvCache(model.Config.TextConfig, options.MaxBatchSize, capacity, model.Dtype, model.Device);
        Metrics = new BatcherMetrics(QueueDepth, () => Volatile.Read(ref _cacheUsage), () => Volatile.Read(ref _inFlight));
        _thread = new Thread(Loop) { IsBackground = true, Name = "llavarad-batcher" };
        _thread.Start();
    }

    public BatcherMetrics Metrics { get; }

    public int Waiting { get { lock (_lock) return _waiting.Count; } }
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Queues a request; the task ends with its result (finish reason Cancelled if its token fired while running).
    /// Throws <see cref="QueueFullException"/> or <see cref="BatcherStoppedException"/> at once, and
    /// <see cref="ArgumentException"/> for a request that can never fit. A token fired while waiting cancels the task.
    /// </summary>
    public Task<GenerationResult> SubmitAsync(GenerationRequest request, GenerationOptions options, QueueTicket ticket,
        Action<GeneratedToken>? onToken = null, CancellationToken cancellationToken = default)
    {
        RequestChecks.Options(options, _tokenizer);
        var positions = (int)RequestChecks.Positions(_model, request, options);
        RequestChecks.Fits(positions, options.MaxNewTokens, _tokenBudget, "the batch token budget");
        cancellationToken.ThrowIfCancellationRequested();

        BatchSequence sequence;
        lock (_lock)
        {
            if (!_accepting)
            {
                Metrics.Rejected("stopping");
                throw new BatcherStoppedException("the node is shutting down and takes no new requests");
            }
            // Requests the next step will admit into free slots are not "queued"; only those beyond them count.
            var freeSlots = Math.Max(0, _options.MaxBatchSize - Volatile.Read(ref _inFlight));
            if (_waiting.Count >= _options.QueueCapacity + freeSlots)
            {
                Metrics.Rejected("queue-full");
                throw new QueueFullException(_waiting.Count);
            }
            var state = new SequenceState(_tokenizer, options, _model.Config.TextConfig.EosTokenId);
            sequence = new BatchSequence(request, options, ticket, _arrivals++, positions, onToken, state, cancellationToken);
            _waiting.Add(sequence);
        }
        // A call that gives up while waiting leaves the line at once; a running one is dropped at the next step.
        sequence.WaitingRegistration = cancellationToken.Register(() =>
        {
            bool removed;
            lock (_lock) removed = _waiting.Remove(sequence);
            if (!removed) return;
            Metrics.Cancelled("waiting");
            sequence.Completion.TrySetCanceled(cancellationToken);
        });
        _wake.Set();
        return sequence.Completion.Task;
    }

    /// <summary>New submissions are refused with <see cref="BatcherStoppedException"/>; accepted ones keep running.</summary>
    public void StopAccepting()
    {
        lock (_lock) _accepting = false;
    }

    /// <summary>Waits until nothing waits or runs, or the grace period ends; then cuts off whatever is left. True if all finished.</summary>
    public async Task<bool> DrainAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        StopAccepting();
        var until = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while (Waiting + InFlight > 0 && Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
            await Task.Delay(20, CancellationToken.None);
        var drained = Waiting + InFlight == 0;
        if (!drained) CutOff();
        return drained;
    }

    /// <summary>Fails every waiting and running request with <see cref="BatcherStoppedException"/> (end of the grace period).</summary>
    public void CutOff()
    {
        List<BatchSequence> waiting;
        lock (_lock)
        {
            _accepting = false;
            waiting = [.. _waiting];
            _waiting.Clear();
        }
        foreach (var s in waiting) s.Completion.TrySetException(new BatcherStoppedException("the node shut down before this request ran"));
        _cutOff = true;
        _wake.Set();
    }

    public void Dispose()
    {
        CutOff();
        _exit = true;
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(30)); // a token consumer stuck forever must not hang shutdown
        _pool.Dispose();
        Metrics.Dispose();
        _wake.Dispose();
    }

    private IEnumerable<(string Priority, int Waiting)> QueueDepth()
    {
        lock (_lock) return _waiting.GroupBy(s => s.Ticket.Priority).Select(g => (g.Key, g.Count())).ToList();
    }

    private void Loop()
    {
        using var noGrad = torch.no_grad();
        while (!_exit)
        {
            _wake.Reset();
            try
            {
                if (_cutOff) FailRunning(new BatcherStoppedException("the node shut down before this request finished"));
                DropCancelled();
                var admitted = Admit();
                if (admitted.Count > 0) EncodeImages(admitted);
                if (_prefilling.Count > 0) PrefillChunk();
                if (_decoding.Count > 0) DecodeStep();
            }
            catch (Exception e) // a fault outside one request's work: fail what is in flight, keep serving
            {
                FailRunning(e);
            }
            Volatile.Write(ref _cacheUsage, (double)_pool.FilledPositions / (_pool.MaxRows * _pool.Capacity));
            if (_prefilling.Count + _decoding.Count == 0) _wake.Wait(TimeSpan.FromMilliseconds(200));
        }
        FailRunning(new BatcherStoppedException("the node shut down before this request finished"));
    }

    private void FailRunning(Exception reason)
    {
        _cutOff = false;
        foreach (var s in _prefilling.Concat(_decoding)) Fail(s, reason);
        _prefilling.Clear();
        while (_pool.Rows > 0) _pool.Remove(_pool.Rows - 1);
        _decoding.Clear();
    }

    private void DropCancelled()
    {
        if (_prefilling.Any(s => s.CancellationToken.IsCancellationRequested))
        {
            var keep = _prefilling.Where(s => !s.CancellationToken.IsCancellationRequested).ToList();
            foreach (var s in _prefilling.Except(keep)) Complete(s, FinishReason.Cancelled);
            _prefilling.Clear();
            foreach (var s in keep) _prefilling.Enqueue(s);
        }
        for (var row = _decoding.Count - 1; row >= 0; row--)
            if (_decoding[row].CancellationToken.IsCancellationRequested)
            {
                Complete(_decoding[row], FinishReason.Cancelled);
                RemoveRow(row);
            }
    }

    /// <summary>Takes waiting requests in order while a slot and the token budget allow; the head is never skipped.</summary>
    private List<BatchSequence> Admit()
    {
        var admitted = new List<BatchSequence>();
        var reserved = _prefilling.Concat(_decoding).Sum(s => s.Reserved);
        var inFlight = _prefilling.Count + _decoding.Count;
        lock (_lock)
        {
            while (inFlight + admitted.Count < _options.MaxBatchSize && _waiting.Count > 0)
            {
                var next = _waiting.MinBy(s => (s.Ticket.OrderKey, s.Arrival))!;
                if (reserved + next.Reserved > _tokenBudget) break;
                _waiting.Remove(next);
                admitted.Add(next);
                reserved += next.Reserved;
            }
            Interlocked.Add(ref _inFlight, admitted.Count); // inside the lock: never counted neither waiting nor in flight
        }
        foreach (var s in admitted)
        {
            s.WaitingRegistration.Dispose();
            s.Queue = Stopwatch.GetElapsedTime(s.SubmittedAt);
            Metrics.Admitted(s.Queue);
        }
        return admitted;
    }

    /// <summary>All admitted images through the vision tower in one batch, then each prompt spliced.</summary>
    private void EncodeImages(List<BatchSequence> admitted)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var scope = NewDisposeScope();
            var withImage = admitted.Where(s => s.Request.Pixels is not null).ToList();
            Tensor? rows = null;                                                               // [Bi, N, D]
            if (withImage.Count > 0)
                rows = _model.EncodeImages(torch.cat(withImage.Select(s => AsBatch(s.Request.Pixels!)).ToArray(), 0));
            foreach (var s in admitted)
            {
                var index = withImage.IndexOf(s);
                s.Embeds = _model.EmbedPrompt(s.Request.PromptIds, index >= 0 ? rows![index] : null).DetachFromDisposeScope(); // [L, D]
            }
        }
        catch (Exception e)
        {
            foreach (var s in admitted) Fail(s, e);
            return;
        }
        foreach (var s in admitted)
        {
            s.Vision = clock.Elapsed;
            _prefilling.Enqueue(s);
        }
    }

    private static Tensor AsBatch(Tensor pixels) => pixels.dim() == 3 ? pixels.unsqueeze(0) : pixels; // [1, 3, S, S]

    /// <summary>Up to PrefillChunkTokens prompt positions, oldest admitted first.</summary>
    private void PrefillChunk()
    {
        var budget = (long)_options.PrefillChunkTokens;
        while (budget > 0 && _prefilling.TryPeek(out var s))
        {
            var clock = Stopwatch.StartNew();
            var length = s.Embeds!.shape[0];
            var chunk = Math.Min(budget, length - s.Prefilled);
            Tensor? logits = null;
            try
            {
                // Outside the step's scope: the staging cache lives across chunks until it moves into the pool.
                s.Staging ??= new KvCache(_model.Config.TextConfig, 1, length, _model.Dtype, _model.Device);
                using var scope = NewDisposeScope();
                var embeds = s.Embeds.narrow(0, s.Prefilled, chunk).unsqueeze(0);                           // [1, C, D]
                var positions = arange(s.Prefilled, s.Prefilled + chunk, device: _model.Device).unsqueeze(0); // [1, C]
                var mask = s.Prefilled == 0 ? AttentionMask.Causal : AttentionMask.Chunk(s.Prefilled, chunk, _model.Device);
                if (s.Prefilled + chunk == length)
                    logits = _model.Decoder.ForwardLast(embeds, positions, s.Staging, mask)[0].to(ScalarType.Float32).cpu().DetachFromDisposeScope(); // [V]
                else
                    _model.Decoder.Forward(embeds, positions, s.Staging, mask);
            }
            catch (Exception e)
            {
                _prefilling.Dequeue();
                Fail(s, e);
                continue;
            }
            budget -= chunk;
            s.Prefilled += chunk;
            s.Prefill += clock.Elapsed;
            if (logits is null) continue;

            _prefilling.Dequeue();
            Metrics.Prefilled(length);
            using (logits) Accept(s, logits);
            if (s.State.Finish is not null)
            {
                Complete(s, s.State.Finish.Value);
                continue;
            }
            _pool.Add(s.Staging!);
            s.ReleaseTensors();
            _decoding.Add(s);
        }
    }

    /// <summary>One new token for every decoding row in a single forward pass.</summary>
    private void DecodeStep()
    {
        Tensor logits;
        try
        {
            using var scope = NewDisposeScope();
            var step = _pool.BeginDecodeStep();
            var ids = tensor(_decoding.Select(s => (long)s.State.Tokens[^1]).ToArray(), device: _model.Device).unsqueeze(1); // [B, 1]
            logits = _model.Decoder.ForwardLast(_model.Decoder.Embed(ids), step.Positions, step, step.Mask)
                .to(ScalarType.Float32).cpu().DetachFromDisposeScope();                                                        // [B, V]
        }
        catch (Exception e)
        {
            foreach (var s in _decoding) Fail(s, e);
            while (_pool.Rows > 0) _pool.Remove(_pool.Rows - 1);
            _decoding.Clear();
            return;
        }
        Metrics.DecodeStep(_decoding.Count);
        using (logits)
            for (var row = _decoding.Count - 1; row >= 0; row--) // descending: a removed row is refilled from an already-served one
            {
                var s = _decoding[row];
                using (NewDisposeScope()) Accept(s, logits[row]);
                if (s.State.Finish is null) continue;
                Complete(s, s.State.Finish.Value);
                RemoveRow(row);
            }
    }

    private void Accept(BatchSequence s, Tensor logits)
    {
        var token = s.State.Accept(logits, s.State.NextIsLast);
        if (s.FirstTokenAt is null)
        {
            s.FirstTokenAt = Stopwatch.GetTimestamp();
            Metrics.FirstToken(Stopwatch.GetElapsedTime(s.SubmittedAt));
        }
        try
        {
            s.OnToken?.Invoke(token);
        }
        catch (Exception)
        {
            s.State.Finish ??= FinishReason.Cancelled; // a consumer that cannot take tokens ends its own request only
        }
    }

    private void RemoveRow(int row)
    {
        var moved = _pool.Remove(row);
        if (moved >= 0) _decoding[row] = _decoding[moved];
        _decoding.RemoveAt(_decoding.Count - 1);
    }

    private void Complete(BatchSequence s, FinishReason reason)
    {
        s.ReleaseTensors();
        s.State.Finish = reason;
        if (reason == FinishReason.Cancelled) Metrics.Cancelled("running");
        var result = s.Result();
        Metrics.Finished(result);
        Interlocked.Decrement(ref _inFlight);
        s.Completion.TrySetResult(result);
    }

    private void Fail(BatchSequence s, Exception e)
    {
        s.ReleaseTensors();
        Interlocked.Decrement(ref _inFlight);
        s.Completion.TrySetException(e);
    }
}
