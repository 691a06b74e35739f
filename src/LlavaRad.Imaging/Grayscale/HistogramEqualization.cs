namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// Histogram equalisation of an 8-bit image the way OpenCV's equalizeHist does it (the tool MIMIC-CXR-JPG is reported
/// to have used): cumulative histogram, the first occupied level maps to 0, the rest scale to 255, rounded.
/// </summary>
public static class HistogramEqualization
{
    public static void Apply(byte[] pixels)
    {
        if (pixels.Length == 0) return;
        var histogram = new int[256];
        foreach (var p in pixels) histogram[p]++;
        var first = 0;
        while (histogram[first] == 0) first++;
        var lut = new byte[256];
        if (histogram[first] == pixels.Length)
        {
            Array.Fill(lut, (byte)first); // a flat image stays as it is
        }
        else
        {
            var scale = 255.0 / (pixels.Length - histogram[first]);
            long sum = 0;
            for (var level = first + 1; level < 256; level++)
            {
                sum += histogram[level];
                lut[level] = (byte)Math.Clamp((int)Math.Round(sum * scale, MidpointRounding.ToEven), 0, 255);
            }
        }
        for (var i = 0; i < pixels.Length; i++) pixels[i] = lut[pixels[i]];
    }
}
