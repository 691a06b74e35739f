using LlavaRad.Contracts.V1;
using LlavaRad.Model;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;
using Microsoft.Extensions.Options;

namespace LlavaRad.Inference;

/// <summary>Loads the model directory once at start-up, off the request path, so health can say NOT_SERVING meanwhile.</summary>
/// <remarks>After loading, the batcher is started and one short warm-up generation runs; only then does health say SERVING.</remarks>
public sealed partial class ModelLoadingService(
    ModelHost host, GenerationScheduler scheduler, IOptions<InferenceNodeOptions> options, ILogger<ModelLoadingService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Load(stoppingToken), stoppingToken);

    private void Load(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            var licence = RequireAcknowledgedTerms(settings);
            if (settings.Threads > 0) TorchSharp.torch.set_num_threads(settings.Threads);
            var device = TorchDevice.Resolve(settings.Device);
            RequirePlanFits(settings, device);
            var model = FindingsModel.Load(settings.ModelDirectory, device);
            var directory = model.Directory;
            var sha256 = directory.ComputeWeightsSha256();
            var config = directory.Config;
            var identity = new ModelIdentity
            {
                ModelId = config.ModelId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(directory.Path)),
                ModelVersion = config.ModelVersion ?? sha256[..12],
                WeightsSha256 = sha256,
                Licence = licence?.Licence ?? "",
                ResearchUseAcknowledged = licence?.ResearchUseOnly == true && settings.Model.AcknowledgeResearchUseOnly,
            };
            var loaded = new LoadedModel(model, identity, device.ToString()) { Budget = PromptBudget.For(model, settings.Batching) };
            var batcher = GenerationScheduler.CreateBatcher(loaded, settings);
            if (settings.WarmUp) WarmUp(loaded, batcher, stoppingToken);
            scheduler.Attach(batcher);
            host.SetLoaded(loaded);
            LogLoaded(identity.ModelId, identity.ModelVersion, device.ToString());
        }
        catch (InvalidModelException e)
        {
            host.SetFailed(e.Code);
            LogFailed(e.Code, e.Message);
        }
    }

    /// <summary>Checked before any weights are read: research-only weights are served only with the operator's acknowledgement.</summary>
    private static ModelLicence? RequireAcknowledgedTerms(InferenceNodeOptions settings)
    {
        var licence = ModelLicence.Read(settings.ModelDirectory);
        if (licence is { ResearchUseOnly: true } && !settings.Model.AcknowledgeResearchUseOnly)
            throw new InvalidModelException(InvalidModelException.LicenceNotAcknowledged,
                $"the weights are licensed \"{licence.Licence}\"; set Inference:Model:AcknowledgeResearchUseOnly=true to confirm that "
                + "their drafts are used for research only, never for clinical decisions");
        return licence;
    }

    /// <summary>Checked before any weights are read: a configuration that cannot fit the device is refused, naming what to change.</summary>
    private void RequirePlanFits(InferenceNodeOptions settings, TorchSharp.torch.Device device)
    {
        var configPath = Path.Combine(settings.ModelDirectory, ModelDirectory.ConfigFile);
        if (!File.Exists(configPath)) return; // loading reports the missing file with its own code
        var config = ModelConfig.Load(configPath);
        var elementBytes = MemoryPlan.ElementBytes(LlavaRad.Model.Architecture.LlavaRadModel.DefaultDtype(config, device));
        var plan = MemoryPlan.For(config, elementBytes, settings.Batching.MaxBatchSize, settings.Batching.PrefillChunkTokens);
        long? available = settings.DeviceMemoryBytes > 0 ? settings.DeviceMemoryBytes
            : device.type == TorchSharp.DeviceType.CPU ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : null;
        LogPlan(device.ToString(), plan.Describe(), available is { } a ? MemoryPlan.GiB(a) : "unknown (set Inference:DeviceMemoryBytes)");
        if (available is { } limit && plan.TotalBytes > limit)
        {
            var row = MemoryPlan.KvBytesPerPosition(config.TextConfig, elementBytes) * config.TextConfig.MaxPositionEmbeddings;
            throw new InvalidModelException(InvalidModelException.MemoryPlanExceedsDevice,
                $"the model needs about {plan.Describe()}, more than the {MemoryPlan.GiB(limit)} of {device}; lower "
                + $"Inference:Batching:MaxBatchSize ({settings.Batching.MaxBatchSize} KV rows of {MemoryPlan.GiB(row)} each) or, if the "
                + "detected size is wrong, set Inference:DeviceMemoryBytes");
        }
    }

    /// <summary>One mid-grey image, two tokens: allocates the device's working memory and proves the whole path before SERVING.</summary>
    private static void WarmUp(LoadedModel loaded, ContinuousBatcher batcher, CancellationToken stoppingToken)
    {
        var size = loaded.Directory.Config.VisionConfig.ImageSize;
        var grey = new PixelImage(size, size, 1, Enumerable.Repeat((byte)128, size * size).ToArray());
        using var pixels = ImagePreprocessor.ToModelInput(grey, loaded.Directory.Config);
        batcher.SubmitAsync(new GenerationRequest(pixels, loaded.Model.PromptIds(null)), new LlavaRad.Model.Generation.GenerationOptions { MaxNewTokens = 2 },
            new QueueTicket(0, "warm-up"), cancellationToken: stoppingToken).GetAwaiter().GetResult();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} {ModelVersion} ready on {Device}")]
    private partial void LogLoaded(string modelId, string modelVersion, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory plan on {Device}: {Plan}; the device has {Available}")]
    private partial void LogPlan(string device, string plan, string available);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model not loaded ({Code}): {Detail}")]
    private partial void LogFailed(string code, string detail);
}
