using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;

namespace LlavaRad.Model.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End, string File);

/// <summary>
/// Reads safetensors (8-byte little-endian header length, JSON header, raw little-endian data). Headers are read
/// first so every name, shape and dtype can be checked before a byte of weights is copied.
/// </summary>
public static class SafetensorsFile
{
    public static IReadOnlyList<SafetensorsEntry> ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8) throw Bad(path, "shorter than the 8-byte header length");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (length > 100_000_000 || (long)length > stream.Length - 8) throw Bad(path, $"header length {length} does not fit the file");
        var header = new byte[length];
        stream.ReadExactly(header);
        var dataLength = stream.Length - 8 - (long)length;

        var entries = new List<SafetensorsEntry>();
        try
        {
            using var json = JsonDocument.Parse(header);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var value = property.Value;
                var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    throw Bad(path, $"tensor {property.Name} has data offsets outside the file");
                entries.Add(new SafetensorsEntry(property.Name, value.GetProperty("dtype").GetString() ?? "", shape, offsets[0], offsets[1], path));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(path, $"unreadable header: {e.Message}");
        }
        foreach (var entry in entries)
            if (entry.End - entry.Begin != entry.Shape.Aggregate(1L, (a, b) => a * b) * ElementSize(entry.Dtype))
                throw Bad(path, $"tensor {entry.Name} holds {entry.End - entry.Begin} bytes, not what shape [{string.Join(",", entry.Shape)}] of {entry.Dtype} needs");
        return entries;
    }

    public static torch.ScalarType ScalarType(string dtype) => dtype switch
    {
        "F32" => torch.ScalarType.Float32,
        "F16" => torch.ScalarType.Float16,
        "BF16" => torch.ScalarType.BFloat16,
        _ => throw new ArgumentException($"dtype {dtype} is not a floating weight type (F32, F16, BF16)"),
    };

    public static string DtypeOf(string torchDtype) => torchDtype switch
    {
        "float32" => "F32",
        "float16" => "F16",
        "bfloat16" => "BF16",
        _ => throw new ArgumentException($"unknown torch_dtype {torchDtype}"),
    };

    private static long ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        _ => 1,
    };

    /// <summary>
    /// Copies the named tensors out of one file through a memory map (one copy, no 1 KB buffer), one at a time so
    /// the caller can move each to its device before the next is read (peak host memory: one tensor).
    /// </summary>
    public static IEnumerable<(string Name, torch.Tensor Tensor)> Load(string path, IEnumerable<SafetensorsEntry> entries)
    {
        using var stream = File.OpenRead(path);
        var headerLength = new byte[8];
        stream.ReadExactly(headerLength);
        var dataStart = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(headerLength);
        using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        foreach (var entry in entries)
        {
            var tensor = torch.empty(entry.Shape, ScalarType(entry.Dtype));
            var length = entry.End - entry.Begin;
            if (length > 0)
            {
                using var view = map.CreateViewStream(dataStart + entry.Begin, length, MemoryMappedFileAccess.Read);
                view.ReadExactly(tensor.bytes);
            }
            yield return (entry.Name, tensor);
        }
    }

    private static InvalidModelException Bad(string path, string problem) =>
        new(InvalidModelException.BadWeights, $"{path}: {problem}");
}
