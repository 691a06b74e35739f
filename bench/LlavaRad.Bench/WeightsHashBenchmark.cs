using System.Diagnostics;
using LlavaRad.Model;

namespace LlavaRad.Bench;

/// <summary>
/// The node hashes its weights at start-up (GetModelInfo's weights_sha256). Baseline: GNU sha256sum on the same
/// file in the same run. Prints best-of-N times and our/baseline ratio (below 1 is faster than sha256sum).
/// </summary>
public sealed class WeightsHashBenchmark : IBenchmark
{
    public string Name => "weights-hash";

    public int Run(string[] args)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0]) : 256;
        const int rounds = 5;
        var dir = Path.Combine(Path.GetTempPath(), $"llavarad-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            TinyModelWriter.DefaultConfig.Save(Path.Combine(dir, ModelDirectory.ConfigFile));
            var weights = Path.Combine(dir, ModelDirectory.SingleWeightsFile);
            WriteRandomFile(weights, megabytes);
            var model = ModelDirectory.Open(dir);

            string ours = "", theirs = "";
            var oursBest = BenchTiming.Best(rounds, () => ours = model.ComputeWeightsSha256());
            var baselineBest = BenchTiming.Best(rounds, () => theirs = Sha256Sum(weights));
            if (ours != theirs) throw new InvalidOperationException($"digests differ: {ours} vs {theirs}");

            Console.WriteLine($"weights-hash: {megabytes} MiB, best of {rounds} (page cache warm)");
            Console.WriteLine($"  ours       {oursBest.TotalMilliseconds,8:F1} ms  {megabytes / oursBest.TotalSeconds,7:F0} MiB/s");
            Console.WriteLine($"  sha256sum  {baselineBest.TotalMilliseconds,8:F1} ms  {megabytes / baselineBest.TotalSeconds,7:F0} MiB/s");
            Console.WriteLine($"  ratio ours/sha256sum = {oursBest / baselineBest:F2}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void WriteRandomFile(string path, int megabytes)
    {
        var random = new Random(42);
        var block = new byte[1 << 20];
        using var file = File.Create(path);
        for (var i = 0; i < megabytes; i++)
        {
            random.NextBytes(block);
            file.Write(block);
        }
    }

    private static string Sha256Sum(string file)
    {
        var start = new ProcessStartInfo("sha256sum", [file]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split(' ')[0];
    }
}
