using System.Text;

namespace LlavaRad.Model.Tokenization;

/// <summary>
/// SentencePiece BPE encoding and decoding, written to give sentencepiece's ids: identity normalisation, spaces
/// escaped to U+2581 with a dummy prefix, merges by highest piece score with ties broken LEFTMOST first
/// (Microsoft.ML.Tokenizers 2.0.1 breaks them rightmost and differs on runs like "___" or "   "), and byte
/// fallback (&lt;0xXX&gt; pieces) for characters outside the vocabulary.
/// </summary>
public sealed class SentencePieceTokenizer
{
    public const char SpaceSymbol = '\u2581';

    private readonly SentencePieceModelFile _model;
    private readonly Dictionary<string, int> _mergeable = new(StringComparer.Ordinal); // normal/user pieces -> id
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int[] _byteIds = new int[256];

    public SentencePieceTokenizer(SentencePieceModelFile model)
    {
        if (model.ModelType != 2)
            throw new InvalidModelException(InvalidModelException.BadTokenizer, $"tokenizer model type {model.ModelType} is not BPE (2)");
        if (model.RemoveExtraWhitespaces || (model.NormalizerName is not ("identity" or "")))
            throw new InvalidModelException(InvalidModelException.BadTokenizer,
                $"tokenizer normaliser \"{model.NormalizerName}\" with remove_extra_whitespaces={model.RemoveExtraWhitespaces} is not supported (LLaMA uses identity, false)");
        _model = model;
        Array.Fill(_byteIds, -1);
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            if (piece.Type is PieceType.Normal or PieceType.UserDefined) _mergeable.TryAdd(piece.Text, id);
            else if (piece.Type == PieceType.Byte && piece.Text.Length == 6 && piece.Text.StartsWith("<0x", StringComparison.Ordinal))
                _byteIds[Convert.ToInt32(piece.Text[3..5], 16)] = id;
        }
        if (model.ByteFallback && _byteIds.Contains(-1))
            throw new InvalidModelException(InvalidModelException.BadTokenizer, "tokenizer has byte_fallback but not all 256 <0xXX> pieces");
        _lookup = _mergeable.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static SentencePieceTokenizer Load(string path) => new(SentencePieceModelFile.Read(path));

    public int VocabSize => _model.Pieces.Count;
    public int BosId => _model.BosId;
    public int EosId => _model.EosId;
    public string IdToPiece(int id) => _model.Pieces[id].Text;

    /// <summary>Token ids of <paramref name="text"/>; "" with BOS gives [BOS] as sentencepiece does.</summary>
    public List<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos) ids.Add(BosId);
        if (text.Length == 0) return ids;

        var normalized = Normalize(text);
        foreach (var (start, length) in Merge(normalized))
        {
            var symbol = normalized.AsSpan(start, length);
            if (_lookup.TryGetValue(symbol, out var id)) ids.Add(id);
            else if (_model.ByteFallback)
                foreach (var b in Encoding.UTF8.GetBytes(symbol.ToArray())) ids.Add(_byteIds[b]);
            else ids.Add(_model.UnkId);
        }
        return ids;
    }

    private string Normalize(string text)
    {
        var escaped = _model.EscapeWhitespaces ? text.Replace(' ', SpaceSymbol) : text;
        return _model.AddDummyPrefix ? SpaceSymbol + escaped : escaped;
    }

    /// <summary>BPE over code points: repeatedly merge the adjacent pair whose concatenation has the best score.</summary>
    private List<(int Start, int Length)> Merge(string s)
    {
        // Symbols as a doubly linked list over the string; a dead symbol has length 0.
        var starts = new List<int>();
        var lengths = new List<int>();
        for (var i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
        {
            starts.Add(i);
            lengths.Add(char.IsSurrogatePair(s, i) ? 2 : 1);
        }
        var n = starts.Count;
        var prev = Enumerable.Range(-1, n).ToArray();
        var next = Enumerable.Range(1, n).Select(i => i < n ? i : -1).ToArray();

        // Max score first; equal scores: leftmost first (sentencepiece's SymbolPairComparator).
        var agenda = new PriorityQueue<(int Left, int Right, int Size), (float Score, int Left)>(
            Comparer<(float Score, int Left)>.Create((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left)));
        void Consider(int left, int right)
        {
            if (left < 0 || right < 0) return;
            var size = lengths[left] + lengths[right];
            if (_lookup.TryGetValue(s.AsSpan(starts[left], size), out var id))
                agenda.Enqueue((left, right, size), (_model.Pieces[id].Score, left));
        }
        for (var i = 0; i + 1 < n; i++) Consider(i, i + 1);

        while (agenda.TryDequeue(out var pair, out _))
        {
            var (left, right, size) = pair;
            // Stale entry: one side was merged away or grew since this pair was queued.
            if (lengths[left] == 0 || lengths[right] == 0 || next[left] != right || lengths[left] + lengths[right] != size) continue;
            lengths[left] = size;
            lengths[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            Consider(prev[left], left);
            Consider(left, next[left]);
        }

        var symbols = new List<(int, int)>();
        for (var i = 0; i >= 0 && i < n; i = next[i]) symbols.Add((starts[i], lengths[i]));
        return symbols;
    }

    /// <summary>
    /// Text of the ids as sentencepiece decodes it: control tokens vanish, U+2581 becomes a space, the dummy-prefix
    /// space of the first (normal) piece is dropped, byte pieces are joined and read as UTF-8 (invalid -> U+FFFD),
    /// unknown pieces read " ⁇ ".
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        var first = true;
        void FlushBytes()
        {
            if (bytes.Count == 0) return;
            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        foreach (var id in ids)
        {
            if (id < 0 || id >= _model.Pieces.Count) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the vocabulary of {_model.Pieces.Count}");
            var piece = _model.Pieces[id];
            if (piece.Type == PieceType.Control) continue;
            if (piece.Type == PieceType.Byte) { bytes.Add(Convert.ToByte(piece.Text[3..5], 16)); first = false; continue; }
            FlushBytes();
            if (piece.Type == PieceType.Unknown) text.Append(" \u2047 ");
            else
            {
                var surface = piece.Text.Replace(SpaceSymbol, ' ');
                text.Append(first && _model.AddDummyPrefix && surface.StartsWith(' ') ? surface[1..] : surface);
            }
            first = false;
        }
        FlushBytes();
        return text.ToString();
    }
}
