using System.Text.Json;
using LlavaRad.Model;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Cli;

/// <summary>`llavarad tokenize`: JSON lines in (each a JSON string), one JSON array of SentencePiece ids per line out.</summary>
public sealed class TokenizeCommand : ICliCommand
{
    public string Name => "tokenize";
    public string Usage => "--tokenizer FILE [--no-bos]   JSON-string lines on stdin -> JSON id arrays on stdout";

    /// <summary>Where lines are read from; stdin unless a test swaps it.</summary>
    public static Func<TextReader> Input { get; set; } = () => Console.In;

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var addBos = !args.Contains("--no-bos");
        var options = CommandOptions.Parse(args.Where(a => a != "--no-bos"));
        var path = options.Require("tokenizer");
        SentencePieceTokenizer tokenizer;
        try { tokenizer = SentencePieceTokenizer.Load(path); }
        catch (InvalidModelException e) { throw new CommandFailedException($"tokenizer {path} cannot be used ({e.Code}): {e.Message}"); }

        var input = Input();
        var lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string? text;
            try { text = JsonSerializer.Deserialize<string>(line); }
            catch (JsonException e) { throw new CommandFailedException($"stdin line {lineNumber} is not a JSON string: {e.Message}"); }
            if (text is null) throw new CommandFailedException($"stdin line {lineNumber} is null, not a JSON string");
            await stdout.WriteLineAsync(JsonSerializer.Serialize(tokenizer.Encode(text, addBos)));
        }
        return CliApp.Ok;
    }
}
