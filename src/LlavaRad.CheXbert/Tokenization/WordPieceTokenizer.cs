using System.Text;

namespace LlavaRad.CheXbert.Tokenization;

/// <summary>
/// BERT's WordPiece: greedy longest match first, continuations prefixed "##"; a word that cannot be covered, or
/// that is longer than 100 code points, becomes [UNK] as a whole.
/// </summary>
public sealed class WordPieceTokenizer(BertVocabulary vocabulary)
{
    private const int MaxCodePointsPerWord = 100;

    public void Encode(string word, List<int> ids)
    {
        var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length > MaxCodePointsPerWord) { ids.Add(vocabulary.Unknown); return; }
        var pieces = new List<int>();
        for (var start = 0; start < runes.Length;)
        {
            var matched = -1;
            var end = runes.Length;
            for (; end > start; end--)
            {
                var piece = new StringBuilder(start > 0 ? "##" : "");
                for (var i = start; i < end; i++) piece.Append(runes[i]);
                if (vocabulary.TryGetId(piece.ToString(), out var id)) { matched = id; break; }
            }
            if (matched < 0) { ids.Add(vocabulary.Unknown); return; }
            pieces.Add(matched);
            start = end;
        }
        ids.AddRange(pieces);
    }
}
