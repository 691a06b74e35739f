using TorchSharp;

namespace LlavaRad.Model.Checkpoints;

/// <summary>
/// Loads the weights of a canonical model directory. Every header is checked against <see cref="CheckpointLayout"/>
/// (name, shape, dtype = config torch_dtype) before any data is read, so a wrong file fails fast naming the tensor.
/// </summary>
public static class CheckpointLoader
{
    public static IReadOnlyList<SafetensorsEntry> Validate(ModelDirectory directory)
    {
        var expected = CheckpointLayout.Expected(directory.Config);
        var dtype = SafetensorsFile.DtypeOf(directory.Config.TorchDtype);
        var seen = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        foreach (var file in directory.WeightFiles)
            foreach (var entry in SafetensorsFile.ReadHeader(file))
            {
                if (!expected.TryGetValue(entry.Name, out var shape))
                    throw Mismatch($"{entry.File}: tensor {entry.Name} is not part of the canonical layout for this config");
                if (!seen.TryAdd(entry.Name, entry))
                    throw Mismatch($"{entry.File}: tensor {entry.Name} appears twice (also in {seen[entry.Name].File})");
                if (!shape.SequenceEqual(entry.Shape))
                    throw Mismatch($"{entry.File}: tensor {entry.Name} has shape [{string.Join(",", entry.Shape)}], config implies [{string.Join(",", shape)}]");
                if (entry.Dtype != dtype)
                    throw Mismatch($"{entry.File}: tensor {entry.Name} is {entry.Dtype}, config torch_dtype {directory.Config.TorchDtype} means {dtype}");
            }
        var missing = expected.Keys.Where(name => !seen.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw Mismatch($"{directory.Path}: tensor {missing[0]} is missing" + (missing.Count > 1 ? $" (and {missing.Count - 1} more)" : ""));
        return seen.Values.ToList();
    }

    /// <summary>Validates, then loads the tensors <paramref name="needed"/> keeps onto the device in the given dtype.</summary>
    public static Dictionary<string, torch.Tensor> Load(ModelDirectory directory, torch.Device device, torch.ScalarType dtype, Func<string, bool> needed)
    {
        var entries = Validate(directory).Where(e => needed(e.Name));
        var weights = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var file in entries.GroupBy(e => e.File))
            foreach (var (name, tensor) in SafetensorsFile.Load(file.Key, file))
            {
                var moved = tensor.to(dtype, device);
                if (!ReferenceEquals(moved, tensor)) tensor.Dispose();
                weights[name] = moved;
            }
        return weights;
    }

    private static InvalidModelException Mismatch(string message) => new(InvalidModelException.WeightsMismatch, message);
}
