namespace LlavaRad.IntegrationTests;

/// <summary>`dotnet publish` output must load TorchSharp on Debian 12 too, not only `dotnet build` output.</summary>
public class PublishedNodeTests
{
    [Fact]
    public void PublishedNodeHasTheGlibcxxNeedMarkedWeakAndLoadsLibtorch()
    {
        using var publish = new TempDirectory("llavarad-publish");
        var project = Path.Combine(ExternalTool.RepoRoot(), "src", "LlavaRad.Inference", "LlavaRad.Inference.csproj");

        // Release, so the Debug outputs other tests run from are left alone.
        ExternalTool.Run(TimeSpan.FromMinutes(10), "dotnet", "publish", project, "-c", "Release", "--no-restore", "-o", publish.Path, "-nologo", "-v", "quiet");
        var library = Path.Combine(publish.Path, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var loadCheck = ExternalTool.Run("dotnet", Path.Combine(publish.Path, "LlavaRad.Inference.dll"), "--check-torch");

        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", ExternalTool.Run("readelf", "-V", library));
        Assert.Contains("libtorch 2.10.0", loadCheck);
    }
}
