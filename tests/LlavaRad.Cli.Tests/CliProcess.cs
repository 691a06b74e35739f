using System.Diagnostics;
using System.Text;

namespace LlavaRad.Cli.Tests;

/// <summary>The real `llavarad` program as a child process, its stdout and stderr collected into one log.</summary>
internal static class CliProcess
{
    public static Process Start(StringBuilder log, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "llavarad.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in args) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
