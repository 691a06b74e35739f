using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sinks;

/// <summary>Bound from "Exports": the DICOM SR and HL7 v2 ORU copies of each local draft, and the HL7 header names.</summary>
public sealed class ExportOptions
{
    public const string Section = "Exports";

    /// <summary>Where sr/*.dcm and hl7/*.hl7 are written beside local drafts; empty writes none.</summary>
    public string Folder { get; set; } = "";

    public string SendingApplication { get; set; } = "LLAVARAD";
    public string SendingFacility { get; set; } = "";
    public string ReceivingApplication { get; set; } = "RIS";
    public string ReceivingFacility { get; set; } = "";

    /// <summary>The site's PACS DICOMweb base URL: each draft's SR is stored into its source study there (STOW-RS); empty sends none.</summary>
    public string StowUrl { get; set; } = "";

    /// <summary>The site's RIS MLLP receiver for the ORU^R01; an empty Host sends none.</summary>
    public LlavaRad.Hl7v2.MllpSenderOptions Mllp { get; set; } = new();

    /// <summary>The SR's Device Observer Manufacturer and Manufacturer (0008,0070).</summary>
    public string Manufacturer { get; set; } = "LlavaRad.Integration";
}

public sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[] { ("SendingApplication", options.SendingApplication), ("ReceivingApplication", options.ReceivingApplication) })
            if (string.IsNullOrWhiteSpace(value)) failures.Add($"Exports:{key} must not be empty");
        foreach (var (key, value) in new[] { ("SendingApplication", options.SendingApplication), ("SendingFacility", options.SendingFacility),
                     ("ReceivingApplication", options.ReceivingApplication), ("ReceivingFacility", options.ReceivingFacility) })
            if (value.IndexOfAny(['|', '^', '~', '\\', '&', '\r', '\n']) >= 0) failures.Add($"Exports:{key} must not contain HL7 delimiters");
        if (string.IsNullOrWhiteSpace(options.Manufacturer)) failures.Add("Exports:Manufacturer must not be empty");
        if (options.StowUrl.Length > 0 && !(Uri.TryCreate(options.StowUrl, UriKind.Absolute, out var stow) && stow.Scheme is "http" or "https"))
            failures.Add("Exports:StowUrl must be an absolute http(s) URL");
        if (options.Mllp.Host.Length > 0 && options.Mllp.Port is < 1 or > 65535) failures.Add($"Exports:Mllp:Port must be 1..65535 (is {options.Mllp.Port})");
        if (options.Mllp.Host.Length > 0 && (options.Mllp.ConnectTimeout <= TimeSpan.Zero || options.Mllp.AckTimeout <= TimeSpan.Zero))
            failures.Add("Exports:Mllp timeouts must be positive");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
