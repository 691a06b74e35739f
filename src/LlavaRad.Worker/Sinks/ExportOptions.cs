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
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
