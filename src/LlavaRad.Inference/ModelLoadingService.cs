using LlavaRad.Contracts.V1;
using LlavaRad.Model;
using Microsoft.Extensions.Options;

namespace LlavaRad.Inference;

/// <summary>Loads the model directory once at start-up, off the request path, so health can say NOT_SERVING meanwhile.</summary>
public sealed partial class ModelLoadingService(
    ModelHost host, IOptions<InferenceNodeOptions> options, ILogger<ModelLoadingService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(Load, stoppingToken);

    private void Load()
    {
        var settings = options.Value;
        try
        {
            var device = TorchDevice.Resolve(settings.Device);
            var model = FindingsModel.Load(settings.ModelDirectory, device);
            var directory = model.Directory;
            var sha256 = directory.ComputeWeightsSha256();
            var config = directory.Config;
            var identity = new ModelIdentity
            {
                ModelId = config.ModelId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(directory.Path)),
                ModelVersion = config.ModelVersion ?? sha256[..12],
                WeightsSha256 = sha256,
            };
            host.SetLoaded(new LoadedModel(model, identity, device.ToString()));
            LogLoaded(identity.ModelId, identity.ModelVersion, device.ToString());
        }
        catch (InvalidModelException e)
        {
            host.SetFailed(e.Code);
            LogFailed(e.Code, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} {ModelVersion} ready on {Device}")]
    private partial void LogLoaded(string modelId, string modelVersion, string device);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model not loaded ({Code}): {Detail}")]
    private partial void LogFailed(string code, string detail);
}
