namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// The [Service] settings of one of our units that decide how the process starts: ExecStart (continuation lines
/// joined, split on blanks: our lines have no quoting), Environment=, EnvironmentFile=, LoadCredential=,
/// StateDirectory= and WorkingDirectory=.
/// </summary>
public sealed class SystemdUnit
{
    public required IReadOnlyList<string> ExecStart { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }
    public required IReadOnlyList<string> EnvironmentFiles { get; init; }
    /// <summary>Credential id -> the file systemd copies into the credentials directory (%d).</summary>
    public required IReadOnlyDictionary<string, string> Credentials { get; init; }
    public required IReadOnlyList<string> StateDirectories { get; init; }
    public required string WorkingDirectory { get; init; }

    public static SystemdUnit Read(string path)
    {
        var settings = Settings(path);
        string[] All(string key) => settings.Where(s => s.Key == key).Select(s => s.Value).ToArray();
        var execStart = All("ExecStart").Single().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new SystemdUnit
        {
            ExecStart = execStart,
            Environment = All("Environment").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(Assignment).ToList(),
            EnvironmentFiles = All("EnvironmentFile"),
            Credentials = All("LoadCredential").Select(v => v.Split(':', 2)).ToDictionary(p => p[0], p => p[1]),
            StateDirectories = All("StateDirectory").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList(),
            WorkingDirectory = All("WorkingDirectory").SingleOrDefault() ?? "/",
        };
    }

    /// <summary>KEY=value lines of an EnvironmentFile (comments and blank lines skipped; our files do not quote).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadEnvironmentFile(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(Assignment).ToList();

    private static KeyValuePair<string, string> Assignment(string text)
    {
        var pair = text.Split('=', 2);
        if (pair.Length != 2) throw new FormatException($"not KEY=value: {text}");
        return new(pair[0], pair[1]);
    }

    private static List<KeyValuePair<string, string>> Settings(string path)
    {
        var text = File.ReadAllText(path).Replace("\\\n", " ");
        var inService = false;
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[')) { inService = line == "[Service]"; continue; }
            if (!inService || line.Length == 0 || line.StartsWith('#') || line.StartsWith(';')) continue;
            var pair = line.Split('=', 2);
            settings.Add(new(pair[0].Trim(), pair[1].Trim()));
        }
        return settings;
    }
}
