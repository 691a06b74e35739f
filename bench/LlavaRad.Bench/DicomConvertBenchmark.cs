using System.Diagnostics;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Png;

namespace LlavaRad.Bench;

/// <summary>
/// DICOM file -> 8-bit grayscale PNG, the worker's conversion step: ours (read, decode, Modality/VOI LUT, inversion,
/// PNG encode, in process) against dcmtk's dcmj2pnm (+on -il, first window or min/max) on the same sample files in
/// the same run. dcmj2pnm is a process per file, as a shell pipeline would use it; its start-up is part of its time.
/// Prints best-of-N totals and our/baseline ratio (below 1 is faster than dcmj2pnm).
/// </summary>
public sealed class DicomConvertBenchmark : IBenchmark
{
    public string Name => "dicom-convert";

    public int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
        var root = LocateSamples();
        var files = Directory.EnumerateFiles(root, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var megapixels = 0.0;
        var temp = Path.Combine(Path.GetTempPath(), $"llavarad-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var oursBest = BenchTiming.Best(rounds, () =>
            {
                megapixels = 0;
                foreach (var file in files)
                {
                    var source = new Part10ImageReader().Read(File.ReadAllBytes(file));
                    var image = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes).Image;
                    File.WriteAllBytes(Path.Combine(temp, "ours.png"), PngGrayEncoder.Encode(image));
                    megapixels += image.Width * image.Height / 1e6;
                }
            });
            var voiOptions = files.ToDictionary(f => f, VoiOptions); // decided before timing: dcmj2pnm needs to be told
            var baselineBest = BenchTiming.Best(rounds, () =>
            {
                foreach (var file in files) Dcmj2pnm(file, voiOptions[file], Path.Combine(temp, "dcmtk.png"));
            });

            Console.WriteLine($"dicom-convert: {files.Count} sample files, {megapixels:F1} Mpx, best of {rounds} (page cache warm)");
            Console.WriteLine($"  ours      {oursBest.TotalMilliseconds,8:F1} ms  {megapixels / oursBest.TotalSeconds,7:F1} Mpx/s");
            Console.WriteLine($"  dcmj2pnm  {baselineBest.TotalMilliseconds,8:F1} ms  {megapixels / baselineBest.TotalSeconds,7:F1} Mpx/s");
            Console.WriteLine($"  ratio ours/dcmj2pnm = {oursBest / baselineBest:F2}");
            return 0;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The file's first window when it has one, else min/max: the same choice our pipeline makes.</summary>
    private static string[] VoiOptions(string file)
    {
        var source = new Part10ImageReader().Read(File.ReadAllBytes(file));
        return source.Attributes.Contains(LlavaRad.Imaging.DicomTag.WindowCenter) ? ["+Wi", "1"] : ["+Wm"];
    }

    private static void Dcmj2pnm(string file, string[] voi, string output)
    {
        using var process = Process.Start(new ProcessStartInfo("dcmj2pnm", [.. voi, "+on", "-il", file, output]) { RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dcmj2pnm failed on {file}");
    }

    private static string LocateSamples()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "sample-studies"))) return Path.Combine(dir.FullName, "sample-studies");
        throw new DirectoryNotFoundException("run from inside the repository: sample-studies/ not found");
    }
}
