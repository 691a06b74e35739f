using System.Diagnostics;

namespace LlavaRad.Tests.Shared;

/// <summary>Runs an independent system tool (sha256sum, readelf, …) to produce expected values.</summary>
public static class ExternalTool
{
    public static string Run(string fileName, params string[] arguments) => Run(TimeSpan.FromMinutes(2), fileName, arguments);

    public static string Run(TimeSpan timeout, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout)) { process.Kill(true); throw new TimeoutException($"{fileName} ran past {timeout}"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>stdout then stderr of a checker that reports problems as text and exits 0 with them too (dciodvfy).</summary>
    public static string Report(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(true); throw new TimeoutException($"{fileName} ran past 2 min"); }
        return stdout.Result + stderr.Result;
    }

    /// <summary>The digest GNU sha256sum prints for a file.</summary>
    public static string Sha256Sum(string file) => Run("sha256sum", file).Split(' ')[0];

    /// <summary>One attribute's value as dcmtk's dcmdump prints it, e.g. tag "0020,000d".</summary>
    public static string DcmtkTag(string file, string tag)
    {
        var line = Run("dcmdump", "+P", tag, file);
        var start = line.IndexOf('[') + 1;
        return line[start..line.IndexOf(']', start)];
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "LlavaRad.Integration.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("LlavaRad.Integration.sln not found above the test output folder");
    }
}
