using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;

namespace LlavaRad.Model.Checkpoints;

/// <summary>Writes named tensors as one safetensors file (header JSON padded to 8 bytes, then raw little-endian data).</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, torch.Tensor Tensor)> tensors)
    {
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var length = tensor.NumberOfElements * tensor.ElementSize;
            header[name] = new { dtype = Dtype(tensor.dtype), shape = tensor.shape, data_offsets = new[] { offset, offset + length } };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = new byte[(json.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        json.CopyTo(padded, 0);

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> length8 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length8, (ulong)padded.Length);
        file.Write(length8);
        file.Write(padded);
        foreach (var (_, tensor) in tensors)
        {
            using var contiguous = tensor.contiguous();
            file.Write(contiguous.bytes);
        }
    }

    private static string Dtype(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => "F32",
        torch.ScalarType.Float16 => "F16",
        torch.ScalarType.BFloat16 => "BF16",
        _ => throw new ArgumentException($"cannot write {type} weights"),
    };
}
