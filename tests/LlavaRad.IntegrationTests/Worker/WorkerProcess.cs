using System.Diagnostics;
using System.Text;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// The built worker executable as its own process, as a hospital runs it; killed with SIGKILL when a test says so.
/// Everything it prints is kept (in <see cref="Log"/>) for the log scan.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, StringBuilder log)
    {
        _process = process;
        Log = log;
    }

    public StringBuilder Log { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The settings the crash tests share: the test node and peers, drafts and audit in <paramref name="dir"/>, fast
    /// idle polls and heartbeats, and a 3 s lease so a killed worker's job is taken over within seconds.
    /// </summary>
    public static string[] CrashTestArguments(Uri node, Uri fhir, Uri dicomWeb, TempDirectory dir) =>
    [
        $"--InferenceNode:Address={node}", "--InferenceNode:CallTimeout=00:01:00",
        $"--Fhir:BaseUrl={fhir}", $"--DicomWeb:BaseUrl={dicomWeb}", $"--Pipeline:DraftFolder={dir.File("drafts")}",
        "--Pipeline:IdlePollInterval=00:00:00.100", "--Pipeline:HeartbeatInterval=00:00:00.500", "--Pipeline:MaxNewTokens=48",
        "--JobStore:Lease=00:00:03", "--JobStore:MaxAttempts=10", "--JobStore:FirstRetryDelay=00:00:01", "--JobStore:MaxRetryDelay=00:00:02",
        $"--Audit:FilePath={dir.File("audit.jsonl")}",
        "--Logging:LogLevel:Default=Information",
    ];

    public static WorkerProcess Start(IEnumerable<string> arguments, StringBuilder log, string name)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(ExternalTool.RepoRoot(), "src", "LlavaRad.Worker", "bin", configuration, "net10.0", "LlavaRad.Worker.dll");
        Assert.True(File.Exists(dll), $"build the worker first: {dll} is missing");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments.Prepend("--urls=http://127.0.0.1:0")) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        void Append(string? line)
        {
            if (line is null) return;
            lock (log) log.Append('[').Append(name).Append("] ").AppendLine(line);
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, log);
    }

    /// <summary>SIGKILL: no shutdown hooks, no lease release, whatever it was doing stops mid-way.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        // Bounded: WaitForExitAsync also waits for the redirected output to close, so a stall must fail, not hang the run.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the worker (pid {_process.Id}) had not exited 60 s after SIGKILL (exited: {_process.HasExited})");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
