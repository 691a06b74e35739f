using System.Diagnostics;
using LlavaRad.Model;
using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Bench;

/// <summary>
/// The same greedy generation (batching's small random model) on a quiet machine and under a bounded synthetic load
/// of one busy process per core, each on the calling (main) thread and on a dedicated thread. Prints decode tok/s per
/// case (median and spread over rounds) and the ratio loaded/quiet: near 1 means immune to CPU contention.
/// The busy processes are `timeout`-bounded shell loops, killed at the end of each loaded phase.
/// Runs itself twice as a child process, since libgomp reads its settings once at load: with the product's
/// <see cref="TorchProcessSettings"/> (after) and with GOMP_SPINCOUNT=300000, libgomp's own default spin, which makes
/// the product leave libgomp as it was (before).
/// Args: [threads=0: libtorch's default] [new_tokens=32] [rounds=3].
/// </summary>
public sealed class ContentionBenchmark : IBenchmark
{
    public string Name => "contention";

    private const string ChildFlag = "--child";

    public int Run(string[] args)
    {
        if (args.FirstOrDefault() != ChildFlag)
        {
            Console.WriteLine("contention: before (libgomp's default spin-wait, GOMP_SPINCOUNT=300000)");
            var before = RunChild(args, spinCount: "300000");
            Console.WriteLine($"contention: after (the product's {TorchProcessSettings.WaitPolicyVariable}={TorchProcessSettings.DefaultWaitPolicy})");
            var after = RunChild(args, spinCount: null);
            return before == 0 && after == 0 ? 0 : 1;
        }
        args = args[1..];
        var threads = args.Length > 0 ? int.Parse(args[0]) : 0;
        var newTokens = args.Length > 1 ? int.Parse(args[1]) : 32;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 3;
        if (threads > 0) torch.set_num_threads(threads);
        var dir = Path.Combine(Path.GetTempPath(), $"llavarad-bench-{Guid.NewGuid():N}");
        try
        {
            TinyModelWriter.Write(dir, BatchingBenchmark.SmallConfig, seed: 3);
            using var model = LlavaRadModel.Load(ModelDirectory.Open(dir), CPU);
            var generator = new TextGenerator(model, tokenizer: null);
            var request = BatchingBenchmark.Request(0);
            var options = new GenerationOptions { MaxNewTokens = newTokens, StopStrings = [] };
            var expected = generator.Generate(request, options).TokenIds; // warm-up, and the tokens every case must give
            Console.WriteLine($"contention: small config, {newTokens} new tokens, torch threads {torch.get_num_threads()} (main thread), " +
                $"libgomp sees OMP_WAIT_POLICY={TorchProcessSettings.NativeValue(TorchProcessSettings.WaitPolicyVariable) ?? "(unset)"} " +
                $"GOMP_SPINCOUNT={TorchProcessSettings.NativeValue(TorchProcessSettings.SpinCountVariable) ?? "(unset)"}, " +
                $"{Environment.ProcessorCount} busy processes when loaded, {rounds} rounds");

            var identical = true;
            double Measure() { var r = generator.Generate(request, options); identical &= r.TokenIds.SequenceEqual(expected); return r.Timings.DecodeTokensPerSecond(r.TokenIds.Count); }
            var cases = new (string Name, Func<double> Run)[] { ("main thread", Measure), ("dedicated thread", () => OnOwnThread(Measure)) };
            Console.WriteLine($"  torch threads seen on a dedicated thread: {OnOwnThread(() => torch.get_num_threads())}");
            var quiet = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var loaded = cases.ToDictionary(c => c.Name, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
                foreach (var c in cases)
                {
                    quiet[c.Name].Add(c.Run()); // right before its loaded run, so both see the same background load
                    using var load = BusyLoad.Start(Environment.ProcessorCount, TimeSpan.FromSeconds(60));
                    Thread.Sleep(500); // let the busy loops reach the run queue
                    loaded[c.Name].Add(c.Run());
                }
            foreach (var c in cases)
                Console.WriteLine($"  {c.Name,-17} quiet {Spread(quiet[c.Name])} tok/s   loaded {Spread(loaded[c.Name])} tok/s   " +
                    $"ratio loaded/quiet = {Median(loaded[c.Name]) / Median(quiet[c.Name]):F2}");
            Console.WriteLine($"  greedy tokens identical in every case: {identical}");
            request.Pixels?.Dispose();
            return identical ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunChild(string[] args, string? spinCount)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ContentionBenchmark).Assembly.Location);
        foreach (var a in (string[])["contention", ChildFlag, .. args]) start.ArgumentList.Add(a);
        start.Environment.Remove(TorchProcessSettings.WaitPolicyVariable);
        if (spinCount is null) start.Environment.Remove(TorchProcessSettings.SpinCountVariable);
        else start.Environment[TorchProcessSettings.SpinCountVariable] = spinCount;
        using var child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    private static T OnOwnThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Spread(List<double> values) => $"{Median(values),7:F1} (min {values.Min(),6:F1}, max {values.Max(),6:F1})";
}

/// <summary>One busy process per core, each bounded by `timeout` so none outlives a crashed benchmark; killed on dispose.</summary>
public sealed class BusyLoad : IDisposable
{
    private readonly List<Process> _processes;

    private BusyLoad(List<Process> processes) => _processes = processes;

    public static BusyLoad Start(int count, TimeSpan limit) => new(Enumerable.Range(0, count).Select(_ => Process.Start(
        new ProcessStartInfo("timeout", [$"{(int)limit.TotalSeconds}", "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!).ToList());

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit();
            p.Dispose();
        }
    }
}
