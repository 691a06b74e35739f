namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// One unit started on this machine the way systemd starts it on the VM: the installed unit's ExecStart,
/// Environment= then EnvironmentFile= (which wins), credentials copied into a private folder (%d,
/// $CREDENTIALS_DIRECTORY), StateDirectory created ($STATE_DIRECTORY), WorkingDirectory; every path of the VM
/// under the install root (DESTDIR) the test installed into with deploy/systemd/install.sh.
/// </summary>
public sealed class SystemdService
{
    public required SystemdUnit Unit { get; init; }
    public required HostLayout Layout { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }
    /// <summary>ExecStart's arguments after the program, relocated and with specifiers expanded.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }
    public required ServiceProcess Process { get; init; }

    public static SystemdUnit ReadInstalled(string root, string unit) =>
        SystemdUnit.Read(Path.Combine(root, "etc", "systemd", "system", unit));

    /// <summary>The VM path of the credential that an ExecStart option (--Section:Key=%d/ID) points at.</summary>
    public static string CredentialSourceFor(SystemdUnit unit, string option)
    {
        var argument = unit.ExecStart.Single(a => a.StartsWith($"--{option}=", StringComparison.Ordinal));
        var id = argument[(argument.IndexOf("=%d/", StringComparison.Ordinal) + 4)..];
        return unit.Credentials[id];
    }

    /// <param name="siteCredentials">Key-named secrets a site adds with a drop-in (LoadCredential=KEY:FILE, see the
    /// unit's comment): id -> content, placed in the credentials folder beside the unit's own.</param>
    public static SystemdService Start(string name, string root, PortMap ports, IReadOnlyDictionary<string, string> overrides,
        IReadOnlyDictionary<string, string>? siteCredentials = null)
    {
        var unit = ReadInstalled(root, name);
        var layout = new HostLayout(ports, rootForOtherPaths: root);
        layout.Override(overrides);
        Directory.CreateDirectory(layout.MapPath("/tmp")); // PrivateTmp

        var credentials = Directory.CreateDirectory(Path.Combine(root, "run", "credentials", name)).FullName;
        foreach (var (id, source) in unit.Credentials) File.Copy(layout.MapPath(source), Path.Combine(credentials, id), overwrite: true);
        foreach (var (id, content) in siteCredentials ?? new Dictionary<string, string>()) File.WriteAllText(Path.Combine(credentials, id), content);

        var declared = new List<KeyValuePair<string, string>>(unit.Environment);
        foreach (var file in unit.EnvironmentFiles) declared.AddRange(SystemdUnit.ReadEnvironmentFile(layout.MapPath(file)));
        var environment = declared.GroupBy(e => e.Key).Select(g => g.Last())
            .Select(e => new KeyValuePair<string, string>(e.Key, layout.Relocate(e.Key, e.Value))).ToList();
        environment.Add(new("CREDENTIALS_DIRECTORY", credentials));
        foreach (var state in unit.StateDirectories)
        {
            var path = Directory.CreateDirectory(layout.MapPath($"/var/lib/{state}")).FullName;
            environment.Add(new("STATE_DIRECTORY", path));
        }

        var arguments = unit.ExecStart.Skip(1).Select(a => Specifiers(RelocateArgument(layout, a), credentials)).ToList();
        var command = new[] { layout.MapPath(unit.ExecStart[0]) }.Concat(arguments).ToList();
        var process = new ServiceProcess(name, command, environment, layout.MapPath(unit.WorkingDirectory));
        return new SystemdService { Unit = unit, Layout = layout, Environment = environment, Arguments = arguments.Skip(1).ToList(), Process = process };
    }

    private static string RelocateArgument(HostLayout layout, string argument)
    {
        if (!argument.StartsWith("--", StringComparison.Ordinal) || !argument.Contains('=')) return argument.StartsWith('/') ? layout.MapPath(argument) : argument;
        var (key, value) = (argument[2..argument.IndexOf('=')], argument[(argument.IndexOf('=') + 1)..]);
        return $"--{key}={layout.Relocate(key, value)}";
    }

    // %d (credentials directory) and %% are the only specifiers our units use; anything else would start wrongly here.
    private static string Specifiers(string argument, string credentials)
    {
        var expanded = argument.Replace("%%", "\0").Replace("%d", credentials);
        if (expanded.Contains('%')) throw new NotSupportedException($"specifier in {argument}: teach the deploy test what it means");
        return expanded.Replace("\0", "%");
    }
}
