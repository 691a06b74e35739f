using System.Diagnostics;
using System.Text.Json;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Bench;

/// <summary>
/// Decode + grayscale throughput per transfer syntax, in MB of decoded pixel data per second: ours (Part 10 read,
/// DecodeFirstFrame, GrayscalePipeline, in process) against pydicom with GDCM (python/pydicom_decode.py) decoding the
/// same files in one Python process per syntax, timed inside it, right before ours, so a machine whose load changes
/// during the run weighs on both sides alike. The files are the sample studies compressed by the codec goldens'
/// dcmtk/GDCM/OpenJPH steps. Ratio = our MB/s over theirs (above 1 is faster than pydicom); the cpu ratio compares
/// MB per CPU-second, which a busy machine disturbs less (both sides decode J2K on several threads).
/// </summary>
public sealed class DecodeBenchmark : IBenchmark
{
    public string Name => "decode";

    public int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3.0;
        var script = Path.Combine(AppContext.BaseDirectory, "python", "pydicom_decode.py");
        var work = Path.Combine(Path.GetTempPath(), $"llavarad-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            using var manifest = JsonDocument.Parse(PythonBaseline.Run(script, ["prepare", RepositoryRoot(), work]));
            var secondsText = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"decode: sample studies per syntax, decode + grayscale, ~{seconds:F1} s each side, MB = decoded pixel bytes");
            Console.WriteLine("  each syntax: pydicom+GDCM, then ours, back to back (both see the same load); cpu ratio = MB per CPU-second, ours over theirs");
            Console.WriteLine($"  {"syntax",-18} {"uid",-24} {"files",5} {"ours MB/s",10} {"pydicom+GDCM MB/s",18} {"ratio",6} {"cpu ratio",9}");
            foreach (var entry in manifest.RootElement.EnumerateObject())
            {
                var files = Directory.GetFiles(Path.Combine(work, entry.Name), "*.dcm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
                var uid = entry.Value.GetProperty("syntax").GetString();
                if (files.Count == 0)
                {
                    Console.WriteLine($"  {entry.Name,-18} {uid,-24} {0,5} (the tools could not make this syntax from the samples)");
                    continue;
                }
                using var baseline = JsonDocument.Parse(PythonBaseline.Run(script, ["time", secondsText, work, entry.Name]));
                var ours = Measure(files, seconds);
                var result = baseline.RootElement.TryGetProperty(entry.Name, out var r) ? r : default;
                var baselineText = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("bytes", out var bytes)
                    ? Ratios(ours, bytes.GetDouble() / 1e6, result.GetProperty("seconds").GetDouble(), result.GetProperty("cpu_seconds").GetDouble())
                    : $"{"n/a",18} {"-",6} {"-",9}  ({Reason(result)})";
                Console.WriteLine($"  {entry.Name,-18} {uid,-24} {files.Count,5} {ours.Megabytes / ours.Seconds,10:F1} {baselineText}");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Throughput(double Megabytes, double Seconds, double CpuSeconds);

    private static string Ratios(Throughput ours, double megabytes, double seconds, double cpuSeconds)
    {
        var theirs = megabytes / seconds;
        return $"{theirs,18:F1} {ours.Megabytes / ours.Seconds / theirs,6:F2} {ours.Megabytes / ours.CpuSeconds / (megabytes / cpuSeconds),9:F2}";
    }

    /// <summary>Passes over the files (from memory) until the time is used up; one warm-up pass first, as Python's imports are outside its timing too.</summary>
    private static Throughput Measure(IReadOnlyList<byte[]> files, double seconds)
    {
        DecodeAll(files);
        var total = 0L;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        do total += DecodeAll(files);
        while (watch.Elapsed.TotalSeconds < seconds);
        return new Throughput(total / 1e6, watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static long DecodeAll(IReadOnlyList<byte[]> files)
    {
        var bytes = 0L;
        foreach (var file in files)
        {
            var source = new Part10ImageReader().Read(file);
            GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes);
            var attributes = source.Attributes;
            bytes += (long)attributes.GetInt(DicomTag.Rows)!.Value * attributes.GetInt(DicomTag.Columns)!.Value
                * (attributes.GetInt(DicomTag.SamplesPerPixel) ?? 1) * (attributes.GetInt(DicomTag.BitsAllocated)!.Value / 8);
        }
        return bytes;
    }

    private static string Reason(JsonElement result) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error", out var error) && error.GetString()!.Contains("no pixel data handlers")
            ? "no pydicom 2.3 handler decodes it" : result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error", out var other) ? other.GetString()! : "not run";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "sample-studies"))) return dir.FullName;
        throw new DirectoryNotFoundException("run from inside the repository: sample-studies/ not found");
    }
}
