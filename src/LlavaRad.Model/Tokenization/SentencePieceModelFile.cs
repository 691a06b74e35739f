using System.Text;

namespace LlavaRad.Model.Tokenization;

/// <summary>sentencepiece_model.proto piece types that matter for encoding and decoding.</summary>
public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

public sealed record Piece(string Text, float Score, PieceType Type);

/// <summary>
/// The parts of a SentencePiece <c>tokenizer.model</c> (protobuf ModelProto) an encoder needs. Read with a tiny
/// protobuf wire-format reader: field numbers are from sentencepiece_model.proto.
/// </summary>
public sealed record SentencePieceModelFile
{
    public required IReadOnlyList<Piece> Pieces { get; init; }
    public int ModelType { get; init; } = 1;          // TrainerSpec.model_type: 1 unigram, 2 bpe
    public bool ByteFallback { get; init; }            // TrainerSpec.byte_fallback (35)
    public int UnkId { get; init; }                    // TrainerSpec.unk_id (40)
    public int BosId { get; init; } = 1;               // TrainerSpec.bos_id (41)
    public int EosId { get; init; } = 2;               // TrainerSpec.eos_id (42)
    public bool AddDummyPrefix { get; init; } = true;  // NormalizerSpec.add_dummy_prefix (3)
    public bool RemoveExtraWhitespaces { get; init; } = true; // NormalizerSpec.remove_extra_whitespaces (4)
    public bool EscapeWhitespaces { get; init; } = true;      // NormalizerSpec.escape_whitespaces (5)
    public string NormalizerName { get; init; } = "";  // NormalizerSpec.name (1)

    public static SentencePieceModelFile Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidModelException(InvalidModelException.MissingFile, $"tokenizer {path} does not exist");
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new InvalidModelException(InvalidModelException.BadTokenizer, $"tokenizer {path} is not a SentencePiece model: {e.Message}");
        }
    }

    public static SentencePieceModelFile Parse(byte[] bytes)
    {
        var pieces = new List<Piece>();
        var trainer = new Dictionary<int, ulong>();
        var normalizer = new Dictionary<int, ulong>();
        var normalizerName = "";
        foreach (var (field, wire, value, start, length) in Fields(bytes, 0, bytes.Length))
        {
            if (field == 1 && wire == 2) pieces.Add(ReadPiece(bytes, start, length));
            else if (field == 2 && wire == 2) ReadVarints(bytes, start, length, trainer);
            else if (field == 3 && wire == 2)
            {
                ReadVarints(bytes, start, length, normalizer);
                foreach (var f in Fields(bytes, start, length))
                    if (f.Field == 1 && f.Wire == 2) normalizerName = Encoding.UTF8.GetString(bytes, f.Start, f.Length);
            }
        }
        if (pieces.Count == 0) throw new FormatException("no pieces");
        int Int(Dictionary<int, ulong> d, int field, int fallback) => d.TryGetValue(field, out var v) ? (int)(long)v : fallback;
        bool Bool(Dictionary<int, ulong> d, int field, bool fallback) => d.TryGetValue(field, out var v) ? v != 0 : fallback;
        return new SentencePieceModelFile
        {
            Pieces = pieces,
            ModelType = Int(trainer, 3, 1),
            ByteFallback = Bool(trainer, 35, false),
            UnkId = Int(trainer, 40, 0),
            BosId = Int(trainer, 41, 1),
            EosId = Int(trainer, 42, 2),
            AddDummyPrefix = Bool(normalizer, 3, true),
            RemoveExtraWhitespaces = Bool(normalizer, 4, true),
            EscapeWhitespaces = Bool(normalizer, 5, true),
            NormalizerName = normalizerName,
        };
    }

    private static Piece ReadPiece(byte[] bytes, int start, int length)
    {
        string text = "";
        float score = 0;
        var type = PieceType.Normal;
        foreach (var (field, wire, value, s, l) in Fields(bytes, start, length))
        {
            if (field == 1 && wire == 2) text = Encoding.UTF8.GetString(bytes, s, l);
            else if (field == 2 && wire == 5) score = BitConverter.Int32BitsToSingle((int)value);
            else if (field == 3 && wire == 0) type = (PieceType)(int)value;
        }
        return new Piece(text, score, type);
    }

    private static void ReadVarints(byte[] bytes, int start, int length, Dictionary<int, ulong> into)
    {
        foreach (var f in Fields(bytes, start, length))
            if (f.Wire == 0) into[f.Field] = f.Value;
    }

    /// <summary>Protobuf wire format: (field, wire type, varint/fixed value, payload start, payload length).</summary>
    private static IEnumerable<(int Field, int Wire, ulong Value, int Start, int Length)> Fields(byte[] b, int start, int length)
    {
        var end = start + length;
        var i = start;
        while (i < end)
        {
            var key = Varint(b, ref i);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, Varint(b, ref i), 0, 0); break;
                case 1: yield return (field, wire, BitConverter.ToUInt64(b, i), i, 8); i += 8; break;
                case 5: yield return (field, wire, BitConverter.ToUInt32(b, i), i, 4); i += 4; break;
                case 2:
                    var len = (int)Varint(b, ref i);
                    if (len < 0 || i + len > end) throw new FormatException($"field {field} runs past its message");
                    yield return (field, wire, 0, i, len);
                    i += len;
                    break;
                default: throw new FormatException($"unsupported protobuf wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] b, ref int i)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var x = b[i++];
            result |= (ulong)(x & 0x7F) << shift;
            if ((x & 0x80) == 0) return result;
        }
        throw new FormatException("varint longer than 10 bytes");
    }
}
