using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// deploy/compose/compose.yaml, read through Debian's python3-yaml (the test project carries no YAML parser), with
/// compose's ${VAR}, ${VAR:-default}, ${VAR:?message} and $$ interpolation.
/// </summary>
public sealed partial class ComposeFile(JsonElement root, string directory, IReadOnlyDictionary<string, string> variables)
{
    public string Directory { get; } = directory;

    public static ComposeFile Read(string path, IReadOnlyDictionary<string, string> variables)
    {
        var json = ExternalTool.Run("python3", "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)", path);
        return new ComposeFile(JsonDocument.Parse(json).RootElement.Clone(), Path.GetDirectoryName(path)!, variables);
    }

    public JsonElement Service(string name) => root.GetProperty("services").GetProperty(name);

    public IEnumerable<KeyValuePair<string, string>> Environment(string service) =>
        Service(service).TryGetProperty("environment", out var env)
            ? env.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, Interpolate(p.Value.GetString()!)))
            : [];

    /// <summary>(source, target) of each secret the service mounts under /run/secrets.</summary>
    public IEnumerable<(string Source, string Target)> Secrets(string service) =>
        Service(service).TryGetProperty("secrets", out var secrets)
            ? secrets.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String
                ? (s.GetString()!, s.GetString()!)
                : (s.GetProperty("source").GetString()!, s.GetProperty("target").GetString()!))
            : [];

    /// <summary>(host source, container target) of each volume; a named volume's source is its name.</summary>
    public IEnumerable<(string Source, string Target, bool Named)> Volumes(string service) =>
        Service(service).TryGetProperty("volumes", out var volumes)
            ? volumes.EnumerateArray().Select(v => Interpolate(v.GetString()!).Split(':')).Select(parts =>
                parts[0].StartsWith('/') || parts[0].StartsWith('.')
                    ? (Path.GetFullPath(parts[0], Directory), parts[1], false)
                    : (parts[0], parts[1], true))
            : [];

    public IReadOnlyList<string> Command(string service) =>
        Service(service).TryGetProperty("command", out var command) ? command.EnumerateArray().Select(c => Interpolate(c.GetString()!)).ToList() : [];

    public IEnumerable<string> Tmpfs(string service) =>
        Service(service).TryGetProperty("tmpfs", out var tmpfs) ? tmpfs.EnumerateArray().Select(t => t.GetString()!) : [];

    public string Interpolate(string text) =>
        Variable().Replace(text, m =>
        {
            if (m.Value == "$$") return "$";
            var name = m.Groups["name"].Value;
            var set = variables.TryGetValue(name, out var value) && value.Length > 0;
            return m.Groups["op"].Value switch
            {
                ":-" => set ? value! : m.Groups["arg"].Value,
                ":?" => set ? value! : throw new InvalidOperationException($"compose needs {name}: {m.Groups["arg"].Value}"),
                _ => set ? value! : "",
            };
        });

    [GeneratedRegex(@"\$\$|\$\{(?<name>\w+)(?:(?<op>:-|:\?)(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();
}
