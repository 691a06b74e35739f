namespace LlavaRad.Imaging.Sr;

/// <summary>The concept names of TID 2000/2002 and TID 1002/1004 (PS3.16), and SNOMED CT presence values.</summary>
public static class SrCodes
{
    public static readonly SrCode DiagnosticImagingReport = new("18748-4", "LN", "Diagnostic Imaging Report");
    public static readonly SrCode Findings = new("121070", "DCM", "Findings");
    public static readonly SrCode Finding = new("121071", "DCM", "Finding");
    public static readonly SrCode ObserverType = new("121005", "DCM", "Observer Type");
    public static readonly SrCode Device = new("121007", "DCM", "Device");
    public static readonly SrCode DeviceObserverUid = new("121012", "DCM", "Device Observer UID");
    public static readonly SrCode DeviceObserverName = new("121013", "DCM", "Device Observer Name");
    public static readonly SrCode DeviceObserverManufacturer = new("121014", "DCM", "Device Observer Manufacturer");
    public static readonly SrCode DeviceObserverModelName = new("121015", "DCM", "Device Observer Model Name");

    public static SrCode Presence(SrPresence presence) => presence switch
    {
        SrPresence.Present => new("52101004", "SCT", "Present"),
        SrPresence.Absent => new("2667000", "SCT", "Absent"),
        _ => new("60022001", "SCT", "Possible diagnosis"),
    };
}
