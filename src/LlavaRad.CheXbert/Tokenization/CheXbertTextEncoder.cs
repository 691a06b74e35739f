namespace LlavaRad.CheXbert.Tokenization;

/// <summary>
/// CheXbert's report -> ids (its bert_tokenizer.py): strip, newlines and \s runs to one space, BERT uncased
/// tokenization, [CLS] … [SEP]; longer than 512 ids -> the first 511 plus [SEP]; an empty report -> [CLS][SEP].
/// </summary>
public sealed class CheXbertTextEncoder(BertVocabulary vocabulary)
{
    public const int MaxLength = 512;
    private readonly WordPieceTokenizer _wordPiece = new(vocabulary);

    public BertVocabulary Vocabulary => vocabulary;

    public int[] Encode(string report)
    {
        var ids = new List<int> { vocabulary.Classify };
        foreach (var token in BasicTokenizer.Tokenize(PythonText.CollapseSpaces(report)))
        {
            _wordPiece.Encode(token, ids);
            if (ids.Count >= MaxLength) break; // the rest is cut anyway; keeps memory bounded for huge inputs
        }
        if (ids.Count > MaxLength - 1) ids.RemoveRange(MaxLength - 1, ids.Count - (MaxLength - 1));
        ids.Add(vocabulary.Separator);
        return ids.ToArray();
    }
}
