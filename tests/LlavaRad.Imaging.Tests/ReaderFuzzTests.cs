using System.Diagnostics;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// Random mutations of the sample and golden files (bit flips, byte overwrites, length fields set to extremes,
/// truncation, duplicated or deleted spans). Every case must either convert or end in a coded DicomReadException.
/// Any other exception fails the test, and the whole run is bounded in time.
/// </summary>
public class ReaderFuzzTests
{
    private const int Cases = 10_000;

    [Fact]
    public void TenThousandMutatedFilesGiveOnlyCodedErrors()
    {
        var samples = Directory.EnumerateFiles(Path.Combine(ExternalTool.RepoRoot(), "sample-studies"), "*.dcm", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var small = GoldenFiles.Manifest.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()!)
            .Concat(GoldenFiles.Manifest.GetProperty("structure").EnumerateArray().Select(v => v.GetProperty("name").GetString()!))
            .Where((_, index) => index % 3 == 0).Select(n => File.ReadAllBytes(GoldenFiles.Dicom(n))).ToList();
        using (var temp = new TempDirectory())
        {
            // JPEG baseline goes to a native decoder (Skia): hostile JPEG streams must come back as codes too.
            ExternalTool.Run("dcmcjpeg", "+eb", GoldenFiles.Dicom("px8-monochrome2-linear"), temp.File("jpeg.dcm"));
            small.Add(File.ReadAllBytes(temp.File("jpeg.dcm")));
            small.Add(File.ReadAllBytes(temp.File("jpeg.dcm")));
        }
        // J2K (OpenJPEG), JPEG-LS (CharLS) and lossless/12-bit JPEG (JpegLibrary) streams: native and managed codecs
        // must give codes too, for mutated headers as for mutated entropy-coded data.
        foreach (var codec in new[] { "j2k-lossless-16-12-u", "j2k-lossy-16-16-s", "colour-j2k-lossless-rct", "jpegls-lossless-16-12-s",
                     "jpegls-near-16-16-u", "jpeg-lossless-sv1-16-16-s", "jpeg-extended-16-12-u", "fragmented-jpegls-no-bot" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(GoldenFiles.Folder, "codecs", "cases", codec + ".dcm"));
            small.Add(bytes);
            small.Add(bytes);
        }
        // The 700 KB samples take ~10 ms a case to decode; the 64 x 48 golden files (every syntax, sequences, LUTs) far
        // less. One case in ten mutates a sample, the rest a golden file, to keep the run near 20 s on a busy machine.
        var random = new Random(20241128);
        var reader = new Part10ImageReader(new DicomReadLimits { MaxPixels = 4096L * 4096, MaxInflatedBytes = 64 << 20 });
        var codes = new Dictionary<string, int>();
        var converted = 0;
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Cases; i++)
        {
            var seed = random.Next(10) == 0 ? samples[random.Next(samples.Count)] : small[random.Next(small.Count)];
            var file = Mutate(seed, random);
            try
            {
                var source = reader.Read(file);
                GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes, i % 2 == 0 ? GrayscaleProfile.Plain : GrayscaleProfile.MimicCxrJpg);
                converted++;
            }
            catch (DicomReadException e)
            {
                codes[e.Code] = codes.GetValueOrDefault(e.Code) + 1;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }

        // A bound on hangs, not a speed gate: a loaded 2-core machine runs this in 20 s to 90 s.
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(5), $"fuzzing took {watch.Elapsed}");
        Assert.True(codes.Count >= 4, "mutations should reach several distinct failure codes: " + string.Join(", ", codes.Keys));
        Assert.InRange(converted, 1, Cases - 1);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var file = (byte[])seed.Clone();
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            // Most structure sits in the first few hundred bytes; aim there more often.
            var position = random.Next(4) == 0 ? random.Next(file.Length) : 128 + random.Next(Math.Min(2048, Math.Max(1, file.Length - 128)));
            position = Math.Min(position, file.Length - 1);
            switch (random.Next(6))
            {
                case 0: file[position] ^= (byte)(1 << random.Next(8)); break;
                case 1: file[position] = (byte)random.Next(256); break;
                case 2: // a 16- or 32-bit length-like field set to an extreme
                    var value = random.Next(3) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFFFu, _ => (uint)random.Next(1 << 16) };
                    for (var b = 0; b < 4 && position + b < file.Length; b++) file[position + b] = (byte)(value >> (8 * b));
                    break;
                case 3: file = file[..random.Next(file.Length)]; break;
                case 4: // delete a span
                    var length = Math.Min(random.Next(1, 64), file.Length - position);
                    file = [.. file[..position], .. file[(position + length)..]];
                    break;
                default: // duplicate a span
                    var span = file[position..Math.Min(file.Length, position + random.Next(1, 64))];
                    file = [.. file[..position], .. span, .. file[position..]];
                    break;
            }
            if (file.Length == 0) break;
        }
        return file;
    }
}
