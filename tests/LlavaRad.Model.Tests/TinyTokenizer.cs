using LlavaRad.Model.Tokenization;

namespace LlavaRad.Model.Tests;

/// <summary>The tiny SentencePiece model TinyModelWriter ships, loaded for tests that need no real vocabulary.</summary>
public static class TinyTokenizer
{
    public static SentencePieceTokenizer Create(int vocabSize = 512)
    {
        using var dir = new TempDirectory();
        TinySentencePieceWriter.Write(dir.File("tokenizer.model"), vocabSize);
        return SentencePieceTokenizer.Load(dir.File("tokenizer.model"));
    }
}
