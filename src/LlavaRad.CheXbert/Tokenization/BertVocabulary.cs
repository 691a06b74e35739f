namespace LlavaRad.CheXbert.Tokenization;

/// <summary>
/// A bert-base-uncased style vocab.txt: one token per line, the line number is the id ([PAD]=0, [UNK], [CLS],
/// [SEP], [MASK] somewhere in it, "##" marking word continuations).
/// </summary>
public sealed class BertVocabulary
{
    private readonly Dictionary<string, int> _ids;

    private BertVocabulary(Dictionary<string, int> ids)
    {
        _ids = ids;
        Unknown = Special("[UNK]");
        Classify = Special("[CLS]");
        Separator = Special("[SEP]");
        Padding = Special("[PAD]");
    }

    public int Unknown { get; }
    public int Classify { get; }
    public int Separator { get; }
    public int Padding { get; }
    public int Count => _ids.Count;

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public static BertVocabulary Load(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheXbertException(CheXbertException.VocabularyInvalid, $"cannot read the vocabulary {path}: {e.Message}");
        }
        return FromTokens(lines);
    }

    /// <summary>As transformers' load_vocab: each line stripped of trailing newline; a repeated token keeps its last id.</summary>
    public static BertVocabulary FromTokens(IEnumerable<string> tokens)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var token in tokens) ids[token.TrimEnd('\r', '\n')] = index++;
        return new BertVocabulary(ids);
    }

    private int Special(string token) => _ids.TryGetValue(token, out var id)
        ? id
        : throw new CheXbertException(CheXbertException.VocabularyInvalid, $"the vocabulary has no {token} token");
}
