using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// Real peers of the deploy tests' own (deploy/peers/peers.sh in a private state folder), never the shared PEER_*
/// ones: the services started here run their sources and job runners for real, and must neither claim other
/// tests' jobs from a shared PostgreSQL queue nor draft other tests' studies from a shared FHIR server.
/// </summary>
public sealed partial class PrivatePeers : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), $"llavarad-deploy-peers-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _values;

    public PrivatePeers() => _values = Exports(Run("start"));

    public Uri OrthancUrl => new(_values["PEER_ORTHANC_URL"]);
    public Uri DicomWebUrl => new(_values["PEER_DICOMWEB_URL"].TrimEnd('/') + "/");
    public Uri FhirUrl => new(_values["PEER_FHIR_URL"].TrimEnd('/') + "/");
    public string PostgresConnection => _values["PEER_POSTGRES_CONNECTION"];

    public void Dispose()
    {
        Run("stop");
        try { Directory.Delete(_stateDirectory, recursive: true); } catch (IOException) { }
    }

    private string Run(string verb)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(ExternalTool.RepoRoot(), "deploy", "peers", "peers.sh"), verb, _stateDirectory })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"peers.sh {verb} failed ({process.ExitCode}); `bash deploy/peers/peers.sh install` first?\n{stderr.Result}");
        return stdout.Result;
    }

    // peers.sh prints only lines export NAME='value' (single quotes, ' written as '\'').
    private static Dictionary<string, string> Exports(string output) =>
        ExportLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Replace("'\\''", "'"));

    [GeneratedRegex(@"^export (\w+)='(.*)'$", RegexOptions.Multiline)]
    private static partial Regex ExportLine();
}
