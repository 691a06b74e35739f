namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>Which codec decodes the frames of each compressed transfer syntax (RLE and JPEG baseline are decoded in
/// their own files, Part10/RleDecoder.cs and Part10/JpegBaselineDecoder.cs).</summary>
internal static class FrameCodecs
{
    private static readonly Dictionary<string, IFrameCodec> ByUid = new()
    {
        ["1.2.840.10008.1.2.4.51"] = JpegCodec.Instance,
        ["1.2.840.10008.1.2.4.57"] = JpegCodec.Instance,
        ["1.2.840.10008.1.2.4.70"] = JpegCodec.Instance,
        ["1.2.840.10008.1.2.4.80"] = JpegLsCodec.Instance,
        ["1.2.840.10008.1.2.4.81"] = JpegLsCodec.Instance,
        ["1.2.840.10008.1.2.4.90"] = Jpeg2000Codec.Instance,
        ["1.2.840.10008.1.2.4.91"] = Jpeg2000Codec.Instance,
        ["1.2.840.10008.1.2.4.201"] = Jpeg2000Codec.Instance,
        ["1.2.840.10008.1.2.4.202"] = Jpeg2000Codec.Instance,
        ["1.2.840.10008.1.2.4.203"] = Jpeg2000Codec.Instance,
    };

    public static IFrameCodec? For(string transferSyntaxUid) => ByUid.GetValueOrDefault(transferSyntaxUid);
}
