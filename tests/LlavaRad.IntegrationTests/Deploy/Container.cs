namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>One compose service started on this machine the way its image and compose.yaml start it.</summary>
public sealed class Container
{
    public required Dockerfile Image { get; init; }
    public required HostLayout Layout { get; init; }
    /// <summary>The settings as the files declare them (image ENV, then compose environment).</summary>
    public required IReadOnlyDictionary<string, string> Declared { get; init; }
    /// <summary>The same settings as this machine needs them (relocated), as passed to the process.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }
    public required ServiceProcess Process { get; init; }

    public static Container Start(string service, string dockerfile, string publishDirectory, ComposeFile compose, PortMap ports,
        IReadOnlyDictionary<string, string> secretValues, IReadOnlyDictionary<string, string> overrides, TempDirectory scratch)
    {
        var repo = ExternalTool.RepoRoot();
        var image = Dockerfile.Read(Path.Combine(repo, "deploy", "containers", dockerfile));
        var layout = new HostLayout(ports);
        layout.Override(overrides);

        // What the image holds: the publish output from the build stage, the scripts from the repository.
        foreach (var (target, source) in image.Copies)
            layout.Mount(target, source.Contains(':') ? publishDirectory : Path.Combine(repo, source));
        // What compose mounts: volumes (named ones as scratch folders), tmpfs, and the secrets under /run/secrets.
        foreach (var (source, target, named) in compose.Volumes(service))
            layout.Mount(target, named ? Folder(scratch, $"{service}-volume-{source}") : source);
        foreach (var tmpfs in compose.Tmpfs(service)) layout.Mount(tmpfs, Folder(scratch, $"{service}-tmpfs"));
        var secretsDirectory = Folder(scratch, $"{service}-secrets");
        foreach (var (source, target) in compose.Secrets(service))
            File.WriteAllText(Path.Combine(secretsDirectory, target), secretValues[source]);
        layout.Mount("/run/secrets", secretsDirectory);
        // A VOLUME that compose leaves unmounted is an anonymous, empty volume.
        foreach (var volume in image.Volumes.Where(v => !compose.Volumes(service).Any(m => m.Target == v)))
            layout.Mount(volume, Folder(scratch, $"{service}-anonymous{volume.Replace('/', '-')}"));

        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in image.Env.Concat(compose.Environment(service))) declared[key] = value;
        var environment = declared.Select(e => new KeyValuePair<string, string>(e.Key, layout.Relocate(e.Key, e.Value))).ToList();
        // run-with-secrets reads /run/secrets; here that mount is a scratch folder, which its override names.
        environment.Add(new("LLAVARAD_SECRETS_DIR", layout.MapPath("/run/secrets")));

        var command = image.Entrypoint.Select(a => a.StartsWith('/') ? layout.MapPath(a) : a).ToList();
        var process = new ServiceProcess(service, command, environment, layout.MapPath(image.WorkDir));
        return new Container { Image = image, Layout = layout, Declared = declared, Environment = environment, Process = process };
    }

    private static string Folder(TempDirectory scratch, string name) => Directory.CreateDirectory(scratch.File(name)).FullName;
}
