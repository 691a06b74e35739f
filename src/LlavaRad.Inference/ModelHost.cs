namespace LlavaRad.Inference;

/// <summary>The node's one model slot: empty while loading, then the loaded model or the coded reason it failed.</summary>
public sealed class ModelHost
{
    private volatile LoadedModel? _model;
    private volatile string? _failure;
    private volatile bool _stopping;

    public LoadedModel? Model => _model;
    public string? Failure => _failure;
    /// <summary>Shutdown has begun: not ready any more, whatever the model's state.</summary>
    public bool Stopping => _stopping;

    public void SetLoaded(LoadedModel model) => _model = model;
    public void SetFailed(string codedReason) => _failure = codedReason;
    public void SetStopping() => _stopping = true;
}
