using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// The final stage of one of our Dockerfiles, read the way the deploy tests need it: ENV (one KEY=value per line,
/// a rule deploy-lint also enforces), ENTRYPOINT, CMD and HEALTHCHECK (exec form), COPY targets, VOLUME and WORKDIR.
/// Deliberately small: anything outside that subset fails loudly rather than being guessed at.
/// </summary>
public sealed partial class Dockerfile
{
    public required IReadOnlyList<KeyValuePair<string, string>> Env { get; init; }
    public required IReadOnlyList<string> Entrypoint { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    public required IReadOnlyList<string> Healthcheck { get; init; }
    /// <summary>Image path -> source: a repository path, or "stage:/path" for COPY --from=stage.</summary>
    public required IReadOnlyDictionary<string, string> Copies { get; init; }
    public required IReadOnlyList<string> Volumes { get; init; }
    public required string WorkDir { get; init; }

    public static Dockerfile Read(string path)
    {
        var text = File.ReadAllText(path).Replace("\\\n", " ");
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var finalStage = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var env = new List<KeyValuePair<string, string>>();
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        var volumes = new List<string>();
        IReadOnlyList<string>? entrypoint = null, command = null, healthcheck = null;
        var workDir = "/";
        foreach (var line in lines.Skip(finalStage + 1))
        {
            var (instruction, rest) = (line.Split(' ', 2)[0], line.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? "");
            switch (instruction)
            {
                case "ENV":
                    var pair = rest.Split('=', 2);
                    if (pair.Length != 2 || rest.Contains(' ')) throw new FormatException($"{path}: ENV must be one KEY=value: {line}");
                    env.Add(new(pair[0], pair[1]));
                    break;
                case "ENTRYPOINT":
                    entrypoint = ExecForm(path, rest);
                    break;
                case "CMD":
                    command = ExecForm(path, rest);
                    break;
                case "HEALTHCHECK":
                    healthcheck = ExecForm(path, rest[(rest.IndexOf("CMD ", StringComparison.Ordinal) + 4)..]);
                    break;
                case "VOLUME":
                    volumes.AddRange(ExecForm(path, rest));
                    break;
                case "WORKDIR":
                    workDir = rest;
                    break;
                case "COPY":
                    var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
                    var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                    // Several sources into a folder (npm manifests, *.js): build inputs the tests never map.
                    if (paths.Count == 2) copies[paths[1]] = from is null ? paths[0] : $"{from}:{paths[0]}";
                    break;
            }
        }
        return new Dockerfile
        {
            Env = env,
            Entrypoint = entrypoint ?? [],
            Command = command ?? [],
            Healthcheck = healthcheck ?? throw new FormatException($"{path}: no HEALTHCHECK"),
            Copies = copies,
            Volumes = volumes,
            WorkDir = workDir,
        };
    }

    private static string[] ExecForm(string path, string json) =>
        JsonSerializer.Deserialize<string[]>(json) ?? throw new FormatException($"{path}: not an exec-form array: {json}");
}
