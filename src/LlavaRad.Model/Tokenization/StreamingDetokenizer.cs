namespace LlavaRad.Model.Tokenization;

/// <summary>
/// Turns generated ids into text deltas whose concatenation equals decoding all ids at once. Decoding one id at a
/// time would drop the space of "▁word" pieces and split multi-byte characters into U+FFFD; instead the whole
/// sequence is decoded and only the new, complete suffix is emitted.
/// </summary>
public sealed class StreamingDetokenizer(SentencePieceTokenizer tokenizer)
{
    private readonly List<int> _ids = [];
    private int _emitted;

    /// <summary>The new text after <paramref name="id"/>; empty while a character is still incomplete.</summary>
    public string Push(int id)
    {
        _ids.Add(id);
        var text = tokenizer.Decode(_ids);
        if (text.EndsWith('\uFFFD')) return ""; // the last bytes may be the start of a multi-byte character
        return Take(text);
    }

    /// <summary>Whatever is still held back (at the end of generation).</summary>
    public string Flush() => Take(tokenizer.Decode(_ids));

    private string Take(string text)
    {
        if (text.Length <= _emitted) return "";
        var delta = text[_emitted..];
        _emitted = text.Length;
        return delta;
    }
}
