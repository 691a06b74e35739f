using System.Diagnostics;

namespace LlavaRad.Bench;

/// <summary>Runs a baseline script (PyTorch, pydicom) on Debian's /usr/bin/python3 and returns its last stdout line (its JSON result).</summary>
public static class PythonBaseline
{
    /// <summary>
    /// LLAVARAD_BENCH_BLAS_DIR, when set, goes on LD_LIBRARY_PATH (an optimised libblas.so.3); blasThreads caps
    /// OpenBLAS's own thread pool, which it keeps beside torch's.
    /// </summary>
    public static string Run(string script, IEnumerable<string> args, int? blasThreads = null)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [script, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.GetEnvironmentVariable("LLAVARAD_BENCH_BLAS_DIR") is { Length: > 0 } blas) start.Environment["LD_LIBRARY_PATH"] = blas;
        if (blasThreads is { } threads) start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"Python baseline {Path.GetFileName(script)} failed (bench/README.md names its Debian packages): {stderr.Result}");
        return stdout.Trim().Split('\n')[^1];
    }
}
