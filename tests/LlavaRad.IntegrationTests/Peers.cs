using System.Diagnostics;

namespace LlavaRad.IntegrationTests;

/// <summary>
/// The real peers, from PEER_* environment variables when .ci/run (or a developer) started them, otherwise started
/// here with deploy/peers/peers.sh in a private state folder and stopped by PID afterwards.
/// </summary>
public sealed class Peers : IDisposable
{
    private static readonly string[] Names = ["PEER_ORTHANC_URL", "PEER_DICOMWEB_URL", "PEER_FHIR_URL", "PEER_POSTGRES_CONNECTION"];
    private readonly string? _ownedStateDir;
    private readonly Dictionary<string, string> _values;

    public Peers()
    {
        var fromEnvironment = Names.ToDictionary(n => n, n => Environment.GetEnvironmentVariable(n) ?? "");
        if (fromEnvironment.Values.All(v => v.Length > 0))
        {
            _values = fromEnvironment;
            return;
        }
        _ownedStateDir = Path.Combine(Path.GetTempPath(), $"llavarad-peers-{Guid.NewGuid():N}");
        _values = ParseExports(RunPeersScript("start", _ownedStateDir));
    }

    public Uri OrthancUrl => new(_values["PEER_ORTHANC_URL"]);
    public Uri DicomWebUrl => new(_values["PEER_DICOMWEB_URL"].TrimEnd('/') + "/");
    public Uri FhirUrl => new(_values["PEER_FHIR_URL"].TrimEnd('/') + "/");
    public string PostgresConnection => _values["PEER_POSTGRES_CONNECTION"];

    public void Dispose()
    {
        if (_ownedStateDir is null) return;
        RunPeersScript("stop", _ownedStateDir);
        try { Directory.Delete(_ownedStateDir, recursive: true); } catch (IOException) { }
    }

    private static string RunPeersScript(string verb, string stateDir)
    {
        var script = Path.Combine(ExternalTool.RepoRoot(), "deploy", "peers", "peers.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, verb, stateDir }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90))) process.Kill(true);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"peers.sh {verb} failed ({process.ExitCode}); run `bash deploy/peers/peers.sh install` first if peers are missing.\n{stderr.Result}");
        return stdout.Result;
    }

    private static Dictionary<string, string> ParseExports(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Unquote(pair[1]));

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1].Replace("'\\''", "'") : value;
}

[CollectionDefinition(Name)]
public sealed class PeersCollection : ICollectionFixture<Peers>
{
    public const string Name = "real peers";
}
