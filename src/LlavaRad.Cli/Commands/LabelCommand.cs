using System.Text.Json;
using LlavaRad.Findings;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad label`: JSON lines in (each a JSON string of findings text), one JSON object per line out, mapping each
/// CheXpert observation name to "positive", "negative", "uncertain" or "blank".
/// </summary>
public sealed class LabelCommand : ICliCommand
{
    public string Name => "label";
    public string Usage => "[--input FILE]   findings texts as JSON-lines strings (stdin by default) -> 14 CheXpert labels per line";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, Console.In, stdout, stderr, cancellationToken);

    /// <summary>As above, reading <paramref name="stdin"/> when no --input is given (tests pass their own reader).</summary>
    public async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var input = options.Get("input");
        using var reader = input is null ? null : OpenInput(input);
        var source = input ?? "stdin";
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
