using System.Diagnostics;
using System.Text;

namespace LlavaRad.Tests.Shared;

/// <summary>A built .NET program (e.g. llavarad.dll) as a child process, its stdout and stderr collected into one log.</summary>
public static class CliProcess
{
    public static Process Start(string dll, StringBuilder log, params string[] args)
    {
        Assert.True(File.Exists(dll), $"build the solution first: {dll} is missing");
        // Through env --default-signal=INT: a test run started in the background of a script (as CI may start it)
        // inherits SIGINT ignored, and .NET keeps an inherited ignore, so Ctrl+C tests would test nothing.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--default-signal=INT", "dotnet", dll }) start.ArgumentList.Add(argument);
        foreach (var argument in args) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
