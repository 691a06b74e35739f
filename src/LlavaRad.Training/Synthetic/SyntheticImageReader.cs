using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Model.Preprocessing;

namespace LlavaRad.Training.Synthetic;

/// <summary>
/// Reads a generated file back the way the worker reads a real study: Part 10 reader, first frame, grayscale
/// pipeline with the MIMIC-CXR-JPG profile (what the demo sends the node), as an 8-bit image for the model.
/// </summary>
public static class SyntheticImageReader
{
    public static PixelImage Read(byte[] dicom)
    {
        var source = new Part10ImageReader().Read(dicom);
        var gray = GrayscalePipeline.Convert(source.DecodeFirstFrame(), source.Attributes, GrayscaleProfile.MimicCxrJpg).Image;
        return new PixelImage(gray.Width, gray.Height, 1, gray.Pixels);
    }
}
