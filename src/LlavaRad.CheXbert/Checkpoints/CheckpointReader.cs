using System.Buffers.Binary;
using System.IO.Compression;

namespace LlavaRad.CheXbert.Checkpoints;

/// <summary>One float32 tensor of a checkpoint: its shape and its values in row-major order.</summary>
public sealed record CheckpointTensor(long[] Shape, float[] Values);

/// <summary>
/// Reads the model_state_dict of a torch.save checkpoint such as chexbert.pth, in either format torch writes:
/// the zip format (torch >= 1.6: archive/data.pkl + archive/data/KEY) or the legacy one (torch &lt; 1.6: magic,
/// protocol and sys-info pickles, the object pickle, the storage-key pickle, then each storage as an int64 element
/// count and raw little-endian bytes; storages may be tagged cuda:0, everything is read to the CPU). Other entries
/// (epoch, optimizer state) are skipped, and so are their storages: only the state dict's bytes are held.
/// </summary>
public static class CheckpointReader
{
    private const string StateDictKey = "model_state_dict";

    private sealed record StorageRef(string Type, string Key, long Count);

    private sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Stride);

    public static Dictionary<string, CheckpointTensor> ReadStateDict(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> signature = stackalloc byte[4];
            file.ReadExactly(signature);
            file.Position = 0;
            return signature.SequenceEqual("PK\u0003\u0004"u8) ? ReadZip(file) : ReadLegacy(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or EndOfStreamException
            or InvalidCastException or KeyNotFoundException or ArgumentException)
        {
            throw Invalid($"{path} is not a readable torch.save checkpoint: {e.Message}");
        }
    }

    private static Dictionary<string, CheckpointTensor> ReadZip(Stream file)
    {
        using var archive = new ZipArchive(file, ZipArchiveMode.Read);
        var pickle = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
            ?? throw Invalid("the zip checkpoint has no data.pkl");
        var folder = pickle.FullName[..^"data.pkl".Length];
        object? root;
        using (var stream = pickle.Open()) root = new PickleMachine(stream, Storage).Load();
        return Materialise(StateDict(root), storage =>
        {
            var entry = archive.GetEntry(folder + "data/" + storage.Key) ?? throw Invalid($"the zip checkpoint lacks storage {storage.Key}");
            using var data = entry.Open();
            var bytes = new byte[checked(storage.Count * 4)];
            data.ReadExactly(bytes);
            return bytes;
        });
    }

    private static Dictionary<string, CheckpointTensor> ReadLegacy(Stream file)
    {
        Func<object?[], object?> noPersistent = _ => throw Invalid("unexpected storage in a legacy header pickle");
        var magic = new PickleMachine(file, noPersistent).Load();
        if (magic is not System.Numerics.BigInteger m || m != System.Numerics.BigInteger.Parse("119547037146038801333356"))
            throw Invalid("neither a zip checkpoint nor a legacy torch.save file (wrong magic number)");
        new PickleMachine(file, noPersistent).Load(); // protocol version
        new PickleMachine(file, noPersistent).Load(); // sys_info: little-endian is the only layout torch writes on x86/ARM
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var root = new PickleMachine(file, id => { var s = (StorageRef)Storage(id); types[s.Key] = s.Type; return s; }).Load();
        var keys = (new PickleMachine(file, noPersistent).Load() as List<object?>) ?? throw Invalid("the legacy storage key list is missing");
        var wanted = ReferencedStorages(StateDict(root));
        var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Span<byte> count = stackalloc byte[8];
        foreach (var key in keys.Cast<string>())
        {
            file.ReadExactly(count);
            var length = checked(BinaryPrimitives.ReadInt64LittleEndian(count) * ElementSize(types.TryGetValue(key, out var type) ? type : throw Invalid($"storage {key} is never referenced")));
            if (!wanted.ContainsKey(key)) { file.Seek(length, SeekOrigin.Current); continue; }
            var data = new byte[length];
            file.ReadExactly(data);
            bytes[key] = data;
        }
        return Materialise(StateDict(root), storage => bytes.TryGetValue(storage.Key, out var b) ? b : throw Invalid($"storage {storage.Key} is missing"));
    }

    // Both formats: ('storage', torch.FloatStorage, key, location, count[, view_metadata]).
    private static object Storage(object?[] id) => id is ["storage", PickleGlobal type, string key, _, long count, ..]
        && (id.Length < 6 || id[5] is null)
        ? new StorageRef(type.Name, key, count)
        : throw Invalid("a storage reference this reader does not know");

    private static PickleDict StateDict(object? root) =>
        (root as PickleDict)?[StateDictKey] as PickleDict ?? throw Invalid($"the checkpoint holds no {StateDictKey} dict");

    private static Dictionary<string, StorageRef> ReferencedStorages(PickleDict state) =>
        state.Entries.Where(e => e.Key is string k && !k.EndsWith(".position_ids", StringComparison.Ordinal)).Select(e => Tensor(e.Value).Storage).DistinctBy(s => s.Key).ToDictionary(s => s.Key, StringComparer.Ordinal);

    private static Dictionary<string, CheckpointTensor> Materialise(PickleDict state, Func<StorageRef, byte[]> read)
    {
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach (var (key, value) in state.Entries)
        {
            var name = key as string ?? throw Invalid("a state dict key that is not a string");
            if (name.EndsWith(".position_ids", StringComparison.Ordinal)) continue; // an int64 arange buffer of newer transformers, not a weight
            var tensor = Tensor(value);
            if (tensor.Storage.Type != "FloatStorage") throw Invalid($"{name} is {tensor.Storage.Type}; CheXbert weights are float32");
            var count = tensor.Shape.Aggregate(1L, (a, b) => a * b);
            if (!IsContiguous(tensor.Shape, tensor.Stride)) throw Invalid($"{name} is not stored contiguously");
            if (!storages.TryGetValue(tensor.Storage.Key, out var bytes)) storages[tensor.Storage.Key] = bytes = read(tensor.Storage);
            if ((tensor.Offset + count) * 4 > bytes.Length) throw Invalid($"{name} runs past the end of its storage");
            var values = new float[count];
            Buffer.BlockCopy(bytes, checked((int)(tensor.Offset * 4)), values, 0, checked((int)(count * 4)));
            tensors[name] = new CheckpointTensor(tensor.Shape, values);
        }
        return tensors;
    }

    // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks), maybe wrapped in _rebuild_parameter.
    private static TensorRef Tensor(object? value) => value switch
    {
        PickleCall { Function.Name: "_rebuild_parameter", Arguments: [var data, ..] } => Tensor(data),
        PickleCall { Function.Name: "_rebuild_tensor_v2" or "_rebuild_tensor", Arguments: [StorageRef s, long offset, object?[] size, object?[] stride, ..] } =>
            new TensorRef(s, offset, size.Select(Convert.ToInt64).ToArray(), stride.Select(Convert.ToInt64).ToArray()),
        _ => throw Invalid("a state dict value that is not a tensor"),
    };

    private static bool IsContiguous(long[] shape, long[] stride)
    {
        var expected = 1L;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    private static long ElementSize(string type) => type switch
    {
        "DoubleStorage" or "LongStorage" => 8,
        "FloatStorage" or "IntStorage" => 4,
        "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
        "ByteStorage" or "CharStorage" or "BoolStorage" => 1,
        _ => throw Invalid($"a storage of type {type}"),
    };

    private static CheXbertException Invalid(string message) => new(CheXbertException.CheckpointInvalid, message);
}
