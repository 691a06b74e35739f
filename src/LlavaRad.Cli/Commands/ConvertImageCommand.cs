using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Png;

namespace LlavaRad.Cli;

/// <summary>`llavarad convert-image IN.dcm OUT.png [--profile plain|mimic-cxr-jpg]`: DICOM to an 8-bit grayscale PNG.</summary>
public sealed class ConvertImageCommand : ICliCommand
{
    public string Name => "convert-image";
    public string Usage => "IN.dcm OUT.png [--profile plain|mimic-cxr-jpg]   DICOM -> 8-bit grayscale PNG through the grayscale pipeline";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (positional.Length != 2) throw new UsageException("convert-image needs IN.dcm and OUT.png");
        var options = CommandOptions.Parse(args[2..]);
        var profileName = options.Get("profile") ?? GrayscaleProfiles.PlainName;
        if (!GrayscaleProfiles.TryParse(profileName, out var profile))
            throw new UsageException($"--profile \"{profileName}\" is not one of {GrayscaleProfiles.PlainName}, {GrayscaleProfiles.MimicCxrJpgName}");
        var (input, output) = (positional[0], positional[1]);

        var source = DicomInput.Read(input);
        GrayscaleResult result;
        try
        {
            result = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes, profile);
        }
        catch (DicomReadException e)
        {
            throw new CommandFailedException($"{input}: {e.Code}: {e.Message}");
        }
        try
        {
            await File.WriteAllBytesAsync(output, PngGrayEncoder.Encode(result.Image), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write {output}: {e.Message}");
        }
        await stdout.WriteLineAsync($"{output}: {result.Image.Width} x {result.Image.Height}, profile {profile.Name()}");
        foreach (var step in result.Steps) await stdout.WriteLineAsync($"  {step}");
        return CliApp.Ok;
    }
}

/// <summary>Reading a DICOM file named on the command line, with errors that name the file and the coded reason.</summary>
internal static class DicomInput
{
    public static DicomImageSource Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read {path}: {e.Message}");
        }
        try
        {
            return new Part10ImageReader().Read(bytes);
        }
        catch (DicomReadException e)
        {
            throw new CommandFailedException($"{path}: {e.Code}: {e.Message}");
        }
    }
}
