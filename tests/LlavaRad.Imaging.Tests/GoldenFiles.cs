using System.Text;
using System.Text.Json;

namespace LlavaRad.Imaging.Tests;

/// <summary>The committed golden variants (golden/make_golden.py: pydicom + numpy + dcmtk) and their expected images.</summary>
public static class GoldenFiles
{
    public static readonly string Folder = Path.Combine(ExternalTool.RepoRoot(), "tests", "LlavaRad.Imaging.Tests", "golden");

    public static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden.json"))).RootElement;

    public static string Dicom(string name) => Path.Combine(Folder, "variants", name + ".dcm");

    public static Gray8Image ReadPgm(string name) => Pgm.Read(Path.Combine(Folder, "variants", name + ".pgm"));
}

/// <summary>Binary PGM (P5, maxval 255), the format the golden script and dcmj2pnm write.</summary>
public static class Pgm
{
    public static Gray8Image Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var header = new List<string>();
        var position = 0;
        while (header.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[position])) position++;
            var start = position;
            while (!char.IsWhiteSpace((char)bytes[position])) position++;
            header.Add(Encoding.ASCII.GetString(bytes, start, position - start));
        }
        position++; // the single whitespace after maxval
        Assert.Equal("P5", header[0]);
        var width = int.Parse(header[1]);
        var height = int.Parse(header[2]);
        return new Gray8Image(width, height, bytes[position..(position + width * height)]);
    }
}
