using System.Diagnostics;
using System.Text;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>A started service: its output kept for failure messages, the whole process tree killed on dispose.</summary>
public sealed class ServiceProcess : IDisposable
{
    // What a container image (debian:bookworm-slim) or a systemd service starts with; nothing of the test's own.
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public ServiceProcess(string name, IReadOnlyList<string> command, IEnumerable<KeyValuePair<string, string>> environment, string workingDirectory)
    {
        Name = name;
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = DefaultPath;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>For one-shot jobs: the exit code, or null when it ran past the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cancel.Token); }
        catch (OperationCanceledException) { return null; }
        return _process.ExitCode;
    }

    public string Log
    {
        get { lock (_log) return $"--- {Name} ({(_process.HasExited ? $"exited {_process.ExitCode}" : "running")}):\n{_log}"; }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
