using TorchSharp;

namespace LlavaRad.Model;

/// <summary>Chooses where tensors live. "auto" takes the first CUDA device when the CUDA backend is built in.</summary>
public static class TorchDevice
{
    public static torch.Device Resolve(string setting)
    {
        var wanted = string.IsNullOrWhiteSpace(setting) ? "auto" : setting.Trim().ToLowerInvariant();
        if (wanted == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (wanted.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new InvalidModelException(InvalidModelException.BadConfig,
                $"device \"{setting}\" asked for, but this build has no usable CUDA device (CPU backend or no GPU)");
        return new torch.Device(wanted);
    }

    /// <summary>Loads the native runtime and runs one real operation; throws when libtorch cannot load.</summary>
    public static string CheckRuntime()
    {
        using var scope = torch.NewDisposeScope();
        var sum = torch.ones(2, 2).matmul(torch.ones(2, 2)).sum();
        var device = torch.cuda.is_available() ? $"cuda ({torch.cuda.device_count()} device(s))" : "cpu";
        return $"{RuntimeDescription}; ones(2,2)@ones(2,2) sums to {sum.item<float>()}; device {device}";
    }

    public static string RuntimeDescription =>
        $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} / libtorch {torch.__version__}";
}
