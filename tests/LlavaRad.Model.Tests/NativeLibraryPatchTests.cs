namespace LlavaRad.Model.Tests;

/// <summary>Checks the build's GLIBCXX patch with binutils' readelf, an independent ELF reader.</summary>
public class NativeLibraryPatchTests
{
    private const string Library = "libLibTorchSharp.so";

    [Fact]
    public void OutputCopyHasGlibcxx3432NeedMarkedWeak()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", Library);
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", ExternalTool.Run("readelf", "-V", output));
    }

    [Fact]
    public void NuGetCacheCopyIsLeftUntouched()
    {
        var cache = Path.Combine(NuGetPackagesRoot(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", Library);
        Assert.True(File.Exists(cache), $"expected the restored package at {cache}");
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: none", ExternalTool.Run("readelf", "-V", cache));
    }

    [Fact]
    public void OutputCopyIsNotAHardLinkIntoTheCache()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", Library);
        Assert.Equal("1", ExternalTool.Run("stat", "-c", "%h", output).Trim());
    }

    private static string NuGetPackagesRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
