namespace LlavaRad.Inference;

/// <summary>The node's one model slot: empty while loading, then the loaded model or the coded reason it failed.</summary>
public sealed class ModelHost
{
    private volatile LoadedModel? _model;
    private volatile string? _failure;

    public LoadedModel? Model => _model;
    public string? Failure => _failure;

    public void SetLoaded(LoadedModel model) => _model = model;
    public void SetFailed(string codedReason) => _failure = codedReason;
}
