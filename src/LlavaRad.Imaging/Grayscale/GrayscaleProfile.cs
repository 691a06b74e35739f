namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// What happens after the standard display pipeline.
/// <list type="bullet">
/// <item><c>plain</c>: Modality LUT, VOI LUT, inversion, 8 bits. Nothing else.</item>
/// <item><c>mimic-cxr-jpg</c>: plain, then histogram equalisation, to stay close to the MIMIC-CXR-JPG images
/// LLaVA-Rad was trained on.</item>
/// </list>
/// What is known about MIMIC-CXR-JPG (Johnson et al. 2019, arXiv 1901.07042, PhysioNet mimic-cxr-jpg 2.x): pixel
/// values were normalised to 0–255, MONOCHROME1 images inverted, the histogram equalised and the result written as JPEG
/// (quality 95). Uncertain: whether the DICOM window was applied before the normalisation or a plain min/max was used
/// (this profile keeps the VOI step, which equals min/max when the file has no window); the exact equalisation code
/// (OpenCV equalizeHist is assumed); and JPEG compression artefacts, which are not reproduced. Resizing to the vision
/// tower's input is the model's preprocessing, not done here.
/// </summary>
public enum GrayscaleProfile
{
    Plain,
    MimicCxrJpg,
}

public static class GrayscaleProfiles
{
    public const string PlainName = "plain";
    public const string MimicCxrJpgName = "mimic-cxr-jpg";

    public static bool TryParse(string? name, out GrayscaleProfile profile)
    {
        profile = name switch { PlainName => GrayscaleProfile.Plain, MimicCxrJpgName => GrayscaleProfile.MimicCxrJpg, _ => (GrayscaleProfile)(-1) };
        return (int)profile >= 0;
    }

    public static string Name(this GrayscaleProfile profile) => profile == GrayscaleProfile.Plain ? PlainName : MimicCxrJpgName;
}
