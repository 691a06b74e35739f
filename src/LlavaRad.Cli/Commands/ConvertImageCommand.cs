using System.CommandLine;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Png;

namespace LlavaRad.Cli;

/// <summary>`llavarad convert-image IN.dcm OUT.png [--profile plain|mimic-cxr-jpg]`: DICOM to an 8-bit grayscale PNG.</summary>
public sealed class ConvertImageCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var input = new Argument<string>("IN.dcm") { Description = "the DICOM file" };
        var output = new Argument<string>("OUT.png") { Description = "the PNG to write" };
        var profileOption = CliOptions.OneOf("--profile", "the grayscale profile", GrayscaleProfiles.PlainName,
            GrayscaleProfiles.PlainName, GrayscaleProfiles.MimicCxrJpgName);
        var command = new Command("convert-image", "DICOM -> 8-bit grayscale PNG through the grayscale pipeline").With(input, output, profileOption);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var (inPath, outPath) = (parse.GetRequiredValue(input), parse.GetRequiredValue(output));
            GrayscaleProfiles.TryParse(parse.GetRequiredValue(profileOption), out var profile);
            var source = DicomInput.Read(inPath);
            GrayscaleResult result;
            try
            {
                result = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes, profile);
            }
            catch (DicomReadException e)
            {
                throw new CommandFailedException($"{inPath}: {e.Code}: {e.Message}");
            }
            try
            {
                await File.WriteAllBytesAsync(outPath, PngGrayEncoder.Encode(result.Image), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException($"cannot write {outPath}: {e.Message}");
            }
            await console.Out.WriteLineAsync($"{outPath}: {result.Image.Width} x {result.Image.Height}, profile {profile.Name()}");
            foreach (var step in result.Steps) await console.Out.WriteLineAsync($"  {step}");
            return CliApp.Ok;
        });
        return command;
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
