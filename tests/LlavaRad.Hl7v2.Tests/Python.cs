using System.Diagnostics;

namespace LlavaRad.Hl7v2.Tests;

/// <summary>The python3-hl7 scripts beside these tests: a parser check and a real MLLP listener.</summary>
internal static class Python
{
    public static string Script(string name) => Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Hl7v2.Tests", "hl7", name);
}

/// <summary>
/// mllp_listener.py running as a child process on a free port; disposed with kill -9. It holds the ACK of the first
/// <c>hold</c> messages, and keeps every message in <c>messages</c> (a folder) when given one.
/// </summary>
internal sealed class MllpListener : IDisposable
{
    private readonly Process _process;

    public MllpListener(string log, string replies = "AA", string text = "", int hold = 0, int port = 0, string? messages = null)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Python.Script("mllp_listener.py"), "--log", log, "--replies", replies, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        if (text.Length > 0) { start.ArgumentList.Add("--text"); start.ArgumentList.Add(text); }
        if (hold > 0) { start.ArgumentList.Add("--hold"); start.ArgumentList.Add(hold.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (messages is not null) { start.ArgumentList.Add("--messages"); start.ArgumentList.Add(messages); }
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        // The script prints its port once it is listening: reading that line is the readiness signal.
        Port = int.Parse(_process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("listener exited before listening"),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    public int Port { get; }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
