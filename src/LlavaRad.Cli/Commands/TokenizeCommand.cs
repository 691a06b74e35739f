using System.CommandLine;
using System.Text.Json;
using LlavaRad.Model;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Cli;

/// <summary>`llavarad tokenize`: JSON lines in (each a JSON string), one JSON array of SentencePiece ids per line out.</summary>
public sealed class TokenizeCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var tokenizerPath = CliOptions.Text("--tokenizer", "FILE", "the SentencePiece tokenizer.model", required: true);
        var noBos = CliOptions.Flag("--no-bos", "do not prepend the beginning-of-sequence id");
        var command = new Command("tokenize", "JSON-string lines on stdin -> JSON id arrays on stdout").With(tokenizerPath, noBos);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(tokenizerPath);
            SentencePieceTokenizer tokenizer;
            try { tokenizer = SentencePieceTokenizer.Load(path); }
            catch (InvalidModelException e) { throw new CommandFailedException($"tokenizer {path} cannot be used ({e.Code}): {e.Message}"); }

            var lineNumber = 0;
            while (await console.In.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                if (line.Length == 0) continue;
                string? text;
                try { text = JsonSerializer.Deserialize<string>(line); }
                catch (JsonException e) { throw new CommandFailedException($"stdin line {lineNumber} is not a JSON string: {e.Message}"); }
                if (text is null) throw new CommandFailedException($"stdin line {lineNumber} is null, not a JSON string");
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(tokenizer.Encode(text, addBos: !parse.GetValue(noBos))));
            }
            return CliApp.Ok;
        });
        return command;
    }
}
