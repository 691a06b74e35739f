using System.Diagnostics;

namespace LlavaRad.Bench;

public static class BenchTiming
{
    /// <summary>The fastest of several rounds: the least disturbed by other load on a shared machine.</summary>
    public static TimeSpan Best(int rounds, Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            if (watch.Elapsed < best) best = watch.Elapsed;
        }
        return best;
    }
}
