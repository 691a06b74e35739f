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
    public string Name => "label";
    public string Usage => "[--input FILE] [--labeler rule|chexbert --chexbert chexbert.pth --vocab vocab.txt [--logits] [--batch 16] [--threads 1]]   "
        + "findings texts as JSON-lines strings (stdin by default) -> 14 CheXpert labels per line";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, Console.In, stdout, stderr, cancellationToken);

    /// <summary>As above, reading <paramref name="stdin"/> when no --input is given (tests pass their own reader).</summary>
    public async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var withLogits = args.Contains("--logits"); // a flag: the only option without a value
        var options = CommandOptions.Parse(args.Where(a => a != "--logits"));
        var input = options.Get("input");
        using var reader = input is null ? null : OpenInput(input);
        var source = input ?? "stdin";
        if (CheXbertOptions.Read(options) is { } chexbert)
        {
            var texts = new List<string>();
            while (await (reader ?? stdin).ReadLineAsync(cancellationToken) is { } text) texts.Add(ParseText(text, source, texts.Count + 1));
            foreach (var result in chexbert.Label(texts, done => stderr.WriteLine($"CheXbert: {done}/{texts.Count} reports labelled")))
                await stdout.WriteLineAsync(CheXbertLabelLine.Json(result, withLogits));
            return CliApp.Ok;
        }
        var labeler = new FindingsLabeler();
        var number = 0;
        while (await (reader ?? stdin).ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            var labels = labeler.Label(ParseText(line, source, number));
            var row = labels.All.ToDictionary(l => l.Observation.DisplayName(), l => l.Status.Word());
            await stdout.WriteLineAsync(JsonSerializer.Serialize(row));
        }
        return CliApp.Ok;
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
