namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// The worker and the node published self-contained for linux-x64, as the images and the systemd install ship
/// them; once for all deploy tests. Built under a private artifacts path so it never races other tests' builds
/// in the repository's bin/ and obj/ folders.
/// </summary>
public sealed class PublishedServices : IDisposable
{
    private readonly TempDirectory _dir = new("llavarad-deploy-publish");

    public PublishedServices()
    {
        var src = Path.Combine(ExternalTool.RepoRoot(), "src");
        WorkerDirectory = Publish(Path.Combine(src, "LlavaRad.Worker", "LlavaRad.Worker.csproj"), "worker");
        NodeDirectory = Publish(Path.Combine(src, "LlavaRad.Inference", "LlavaRad.Inference.csproj"), "node");
    }

    public string WorkerDirectory { get; }
    public string NodeDirectory { get; }

    private string Publish(string project, string name)
    {
        var output = _dir.File(name);
        ExternalTool.Run(TimeSpan.FromMinutes(10), "dotnet", "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained",
            "--artifacts-path", _dir.File("artifacts"), "-o", output, "-nologo", "-v", "quiet");
        return output;
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<PrivatePeers>, ICollectionFixture<PublishedServices>
{
    public const string Name = "deployment files";
}
