using System.Text.RegularExpressions;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// Plays the container engine's or systemd's part on this machine: where each path the deployment files name
/// really is (mounts), and which free loopback port stands for each port they name (like `docker run -p`).
/// Everything else in a setting is passed through unchanged.
/// </summary>
public sealed partial class HostLayout
{
    private readonly List<(string Target, string Source)> _mounts = [];
    private readonly PortMap _ports;
    private readonly Dictionary<string, string> _overrides = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _rootForOtherPaths;

    /// <param name="ports">Shared by every service of one deployment, so both ends of a link meet.</param>
    /// <param name="rootForOtherPaths">systemd layout: an absolute path no mount covers lies under this root (DESTDIR).
    /// Container layout: null, and such a path is an error (the image would not have it).</param>
    public HostLayout(PortMap ports, string? rootForOtherPaths = null) => (_ports, _rootForOtherPaths) = (ports, rootForOtherPaths);

    /// <summary>The image's or the VM's path <paramref name="target"/> is <paramref name="source"/> here.</summary>
    public void Mount(string target, string source) => _mounts.Add((target.TrimEnd('/'), source));

    /// <summary>
    /// A setting in which this machine must differ from a hospital's, whatever the files say: the address of a
    /// site system (the EHR, the PACS: the real test peers instead), or hardware (no GPU here).
    /// </summary>
    public void Override(string key, string value) => _overrides[Normalize(key)] = value;

    public void Override(IReadOnlyDictionary<string, string> overrides)
    {
        foreach (var (key, value) in overrides) Override(key, value);
    }

    public string MapPath(string path)
    {
        var mount = _mounts.Where(m => path == m.Target || path.StartsWith(m.Target + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Target.Length).FirstOrDefault();
        if (mount.Target is not null) return mount.Source + path[mount.Target.Length..];
        return _rootForOtherPaths is not null
            ? Path.Join(_rootForOtherPaths, path)
            : throw new InvalidOperationException($"{path} is neither in the image nor mounted");
    }

    /// <summary>One setting's value as this machine needs it: overrides applied, URLs and the worker's listener
    /// addresses and ports moved to loopback ports, absolute paths mapped. Several URLs separated by ';' (Urls) are
    /// each moved.</summary>
    public string Relocate(string key, string value)
    {
        if (_overrides.TryGetValue(Normalize(key), out var forced)) return forced;
        var listener = ListenerSetting().Match(Normalize(key));
        if (listener.Success)
            return listener.Groups["part"].Value.Equals("Port", StringComparison.OrdinalIgnoreCase)
                ? _ports.Local(int.Parse(value)).ToString() : "127.0.0.1";
        if (UrlPattern().IsMatch(value))
            return UrlPattern().Replace(value, m =>
            {
                var scheme = m.Groups["scheme"].Value;
                var port = m.Groups["port"].Success ? int.Parse(m.Groups["port"].Value) : scheme == "https" ? 443 : 80;
                return $"{scheme}://127.0.0.1:{_ports.Local(port)}";
            });
        return value.StartsWith('/') ? MapPath(value) : value;
    }

    private static string Normalize(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    [GeneratedRegex(@"^Worker__Listeners__\w+__(?<part>Address|Port)$", RegexOptions.IgnoreCase)]
    private static partial Regex ListenerSetting();

    [GeneratedRegex(@"(?<scheme>https?)://(?<host>\[[^\]]*\]|[^/:;\s]+)(:(?<port>\d+))?")]
    private static partial Regex UrlPattern();
}

/// <summary>The free loopback port standing for each port the deployment files name; the same one for every mention.</summary>
public sealed class PortMap
{
    private readonly Dictionary<int, int> _ports = [];

    public int Local(int port)
    {
        lock (_ports)
        {
            if (!_ports.TryGetValue(port, out var local)) _ports[port] = local = ClosedPort.Next();
            return local;
        }
    }
}
