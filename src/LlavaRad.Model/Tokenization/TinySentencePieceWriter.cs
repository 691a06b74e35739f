using System.Text;

namespace LlavaRad.Model.Tokenization;

/// <summary>
/// Writes a small LLaMA-style SentencePiece BPE model (unk/bos/eos = 0/1/2, 256 byte pieces, byte fallback, dummy
/// prefix, identity normaliser) so the tiny demo model has a tokenizer without committing LLaMA's. Pieces: the
/// specials, the bytes, "▁", printable ASCII, then frequent English / report bigrams and words until the vocabulary
/// is full. Deterministic for a given size.
/// </summary>
public static class TinySentencePieceWriter
{
    private static readonly string[] Merges =
    [
        "▁t", "th", "he", "in", "er", "an", "re", "on", "▁a", "en", "at", "es", "ed", "or", "te", "ti", "is", "ar",
        "al", "le", "nd", "st", "nt", "ng", "▁th", "▁the", "▁o", "▁i", "▁s", "▁c", "▁p", "▁n", "▁e", "▁l", "▁m", "▁d",
        "▁f", "▁b", "▁r", "▁h", "▁w", "▁u", "ion", "ing", "ar", "ro", "ou", "ra", "ri", "ne", "me", "de", "ce", "co",
        "ma", "ca", "li", "lo", "la", "ly", "ll", "ss", "ul", "ur", "ac", "ic", "ea", "ec", "el", "em", "ue", "ve",
        "▁of", "▁no", "▁is", "▁in", "▁and", "▁or", "▁to", "▁are", "▁with", "▁left", "▁right", "▁lung", "▁heart",
        "▁normal", "▁pleural", "▁effusion", "▁pneumothorax", "▁opacity", "▁size", "▁clear", "▁mild", "▁there",
        "▁chest", "▁focal", "▁consolidation", "▁cardiomediastinal", "▁silhouette", "▁within", "▁limits", "▁acute",
        "▁process", "▁evidence", "▁edema", "▁atelectasis", "▁lobe", "▁lower", "▁upper", "▁bibasilar", "▁tube",
        "▁line", "▁stable", "▁unchanged", "▁compared", "▁prior", "▁study", "▁small", "▁large", "▁moderate", "▁seen",
        "▁identified", "▁present", "▁lungs", "▁contours", "▁osseous", "▁structures", "▁intact", "▁.", "▁,", "▁▁",
    ];

    public static void Write(string path, int vocabSize = 512) => Write(path, vocabSize, Merges);

    /// <summary>
    /// The same layout with <paramref name="words"/> (each becomes "▁word", with all its prefixes) as the merges: a
    /// domain vocabulary where every listed word is one token (the trained synthetic model uses it).
    /// </summary>
    public static void WriteWithWords(string path, IEnumerable<string> words, int vocabSize) =>
        Write(path, vocabSize, words.Select(w => SpaceSymbol + w).Distinct().ToArray());

    /// <summary>Pieces this layout needs for the given words (specials, bytes, ASCII and every word prefix).</summary>
    public static int PiecesNeeded(IEnumerable<string> words) =>
        3 + 256 + WithPrefixes(words.Select(w => SpaceSymbol + w).Distinct().ToArray()).Count;

    private const string SpaceSymbol = "\u2581";

    private static List<string> WithPrefixes(string[] merges)
    {
        var normal = new List<string> { SpaceSymbol };
        normal.AddRange(Enumerable.Range(33, 94).Select(c => ((char)c).ToString()));
        normal.AddRange(merges.Distinct());
        // BPE needs every intermediate piece of a merge; a word's prefixes are added before the word itself.
        var withPrefixes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var piece in normal)
            for (var n = 1; n <= piece.Length; n++)
                if (seen.Add(piece[..n])) withPrefixes.Add(piece[..n]);
        return withPrefixes;
    }

    private static void Write(string path, int vocabSize, string[] merges)
    {
        var pieces = new List<(string Text, float Score, PieceType Type)>
        {
            ("<unk>", 0, PieceType.Unknown), ("<s>", 0, PieceType.Control), ("</s>", 0, PieceType.Control),
        };
        for (var b = 0; b < 256; b++) pieces.Add(($"<0x{b:X2}>", 0, PieceType.Byte));
        var withPrefixes = WithPrefixes(merges);
        if (vocabSize < pieces.Count + 1 + 94)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), $"a tiny tokenizer needs at least {pieces.Count + 95} pieces, not {vocabSize}");
        foreach (var text in withPrefixes.Take(vocabSize - pieces.Count))
            pieces.Add((text, text.Length == 1 ? -1000 - pieces.Count : -pieces.Count, PieceType.Normal));
        while (pieces.Count < vocabSize) pieces.Add(($"<unused{pieces.Count}>", 0, PieceType.Unused)); // larger test vocabularies

        using var file = new MemoryStream();
        foreach (var (text, score, type) in pieces)
        {
            var piece = new MemoryStream();
            Bytes(piece, 1, Encoding.UTF8.GetBytes(text));
            Fixed32(piece, 2, BitConverter.SingleToInt32Bits(score));
            if (type != PieceType.Normal) Varint(piece, 3, (ulong)type);
            Bytes(file, 1, piece.ToArray());
        }
        var trainer = new MemoryStream();
        Varint(trainer, 3, 2); // BPE
        Varint(trainer, 35, 1); // byte_fallback
        Varint(trainer, 40, 0);
        Varint(trainer, 41, 1);
        Varint(trainer, 42, 2);
        Varint(trainer, 43, ulong.MaxValue); // pad_id -1
        Bytes(file, 2, trainer.ToArray());
        var normalizer = new MemoryStream();
        Bytes(normalizer, 1, Encoding.UTF8.GetBytes("identity"));
        Varint(normalizer, 3, 1);
        Varint(normalizer, 4, 0);
        Varint(normalizer, 5, 1);
        Bytes(file, 3, normalizer.ToArray());
        File.WriteAllBytes(path, file.ToArray());
    }

    private static void Key(Stream s, int field, int wire) => RawVarint(s, (ulong)(field << 3 | wire));
    private static void Varint(Stream s, int field, ulong value) { Key(s, field, 0); RawVarint(s, value); }
    private static void Fixed32(Stream s, int field, int value) { Key(s, field, 5); s.Write(BitConverter.GetBytes(value)); }
    private static void Bytes(Stream s, int field, byte[] value) { Key(s, field, 2); RawVarint(s, (ulong)value.Length); s.Write(value); }

    private static void RawVarint(Stream s, ulong value)
    {
        for (; value >= 0x80; value >>= 7) s.WriteByte((byte)(value | 0x80));
        s.WriteByte((byte)value);
    }
}
