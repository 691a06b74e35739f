using System.CommandLine;
using System.Text.Json;
using LlavaRad.CheXbert;
using LlavaRad.Findings;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad label`: JSON lines in (each a JSON string of findings text), one JSON object per line out, mapping each
/// CheXpert observation name to "positive", "negative", "uncertain" or "blank".
/// </summary>
public sealed class LabelCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var inputOption = CliOptions.Text("--input", "FILE", "JSON-lines findings texts (stdin when absent)");
        var logits = CliOptions.Flag("--logits", "with --labeler chexbert: also print the raw logits");
        var chexbertArguments = new CheXbertOptions.Arguments();
        var command = chexbertArguments.AddTo(new Command("label", "findings texts as JSON-lines strings (stdin by default) -> 14 CheXpert labels per line")
            .With(inputOption, logits));
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var input = parse.GetValue(inputOption);
            using var file = input is null ? null : OpenInput(input);
            var reader = file ?? console.In;
            var source = input ?? "stdin";
            if (chexbertArguments.Read(parse) is { } chexbert)
            {
                var texts = new List<string>();
                while (await reader.ReadLineAsync(cancellationToken) is { } text) texts.Add(ParseText(text, source, texts.Count + 1));
                foreach (var result in chexbert.Label(texts, done => console.Err.WriteLine($"CheXbert: {done}/{texts.Count} reports labelled")))
                    await console.Out.WriteLineAsync(CheXbertLabelLine.Json(result, parse.GetValue(logits)));
                return CliApp.Ok;
            }
            var labeler = new FindingsLabeler();
            var number = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                number++;
                var labels = labeler.Label(ParseText(line, source, number));
                var row = labels.All.ToDictionary(l => l.Observation.DisplayName(), l => l.Status.Word());
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(row));
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static StreamReader OpenInput(string path)
    {
        try { return new StreamReader(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read --input {path}: {e.Message}");
        }
    }

    private static string ParseText(string line, string source, int number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.String) return document.RootElement.GetString()!;
        }
        catch (JsonException) { }
        throw new CommandFailedException($"{source} line {number}: expected a JSON string of findings text, e.g. \"No pneumothorax.\"");
    }
}
