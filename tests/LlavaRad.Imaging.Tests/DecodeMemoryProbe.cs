using System.Text.RegularExpressions;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// The test assembly's own entry point (GenerateProgramFile is off; the test host never calls it): `dotnet
/// LlavaRad.Imaging.Tests.dll decode-rss FILE` decodes FILE's first frame in a fresh process and prints
/// "before peak" (kB): the resident set just before decoding, with the peak reset there (/proc/self/clear_refs 5),
/// and the peak while decoding. The file is read and parsed before, so only the decode is measured.
/// </summary>
public static partial class DecodeMemoryProbe
{
    public static int Main(string[] args)
    {
        if (args is not ["decode-rss", var path])
        {
            Console.Error.WriteLine("usage: LlavaRad.Imaging.Tests.dll decode-rss FILE");
            return 2;
        }
        var source = new Part10ImageReader().Read(File.ReadAllBytes(path));
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = Status("VmRSS");
        var frame = source.DecodeFirstFrame();
        var peak = Status("VmHWM");
        Console.WriteLine($"{before} {peak} {frame.Width} {frame.Height}");
        GC.KeepAlive(frame);
        return 0;
    }

    private static long Status(string field) =>
        long.Parse(Field().Matches(File.ReadAllText("/proc/self/status")).Single(m => m.Groups[1].Value == field).Groups[2].Value);

    [GeneratedRegex(@"^(\w+):\s+(\d+) kB$", RegexOptions.Multiline)]
    private static partial Regex Field();
}
