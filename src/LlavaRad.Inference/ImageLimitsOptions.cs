namespace LlavaRad.Inference;

/// <summary>Bound from "Inference:Images": what one request's image may cost the node before any GPU time is spent.</summary>
public sealed class ImageLimitsOptions
{
    /// <summary>Largest declared width x height (raw or PNG), refused before anything is allocated; 8192 x 8192 by default.</summary>
    public long MaxPixels { get; set; } = 8192L * 8192;

    /// <summary>Images decoded and resized at once; each holds up to MaxPixels bytes of full-size gray while it runs.</summary>
    public int MaxConcurrentDecodes { get; set; } = 2;
}
