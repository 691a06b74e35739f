namespace LlavaRad.Imaging.Selection;

/// <summary>
/// What makes an instance a usable chest radiograph, attribute by attribute (integration anchors 2.9, PS3.3 DX/CR IODs,
/// CID 4010 DX View, CID 4031 anatomic regions). Each rule reads one thing so the selector reads like the policy.
/// </summary>
public static class ChestImageRules
{
    public const string CrImageStorage = "1.2.840.10008.5.1.4.1.1.1";
    public const string DxForPresentation = "1.2.840.10008.5.1.4.1.1.1.1";

    private static readonly string[] ChestWords = ["CHEST", "THORAX", "THORAC", "TORAX", "CXR", "LUNG"];

    // SNOMED CT (SCT) and the legacy SNOMED RT (SRT) designators for the same concepts.
    private static readonly HashSet<string> ChestRegionCodes = ["43799004", "51185008", "T-D3000", "T-D3100"];
    private static readonly Dictionary<string, string> FrontalViewCodes = new()
    {
        ["399066004"] = "PA", ["R-10214"] = "PA",
        ["399348003"] = "AP", ["R-10206"] = "AP",
    };

    /// <summary>CR or DX images (not presentation states, reports, key objects, secondary captures, processing data).</summary>
    public static bool IsRadiograph(IDicomAttributes instance)
    {
        var modality = instance.GetString(DicomTag.Modality)?.ToUpperInvariant();
        if (modality is not ("CR" or "DX")) return false;
        var sopClass = instance.GetString(DicomTag.SopClassUid);
        if (sopClass is not null && sopClass is not (CrImageStorage or DxForPresentation)) return false;
        return instance.GetString(DicomTag.PresentationIntentType)?.ToUpperInvariant() is null or "FOR PRESENTATION";
    }

    /// <summary>BodyPartExamined CHEST, a chest anatomic region code, or (when the body part is blank) a chest description.</summary>
    public static bool IsChest(IDicomAttributes instance)
    {
        var bodyPart = instance.GetString(DicomTag.BodyPartExamined)?.ToUpperInvariant();
        if (bodyPart is not null && ChestWords.Any(bodyPart.Contains)) return true;
        if (instance.GetSequence(DicomTag.AnatomicRegionSequence).Any(code => ChestRegionCodes.Contains(code.GetString(DicomTag.CodeValue) ?? "")))
            return true;
        if (bodyPart is not null) return false; // an explicit other body part outranks a description
        return new[] { DicomTag.StudyDescription, DicomTag.SeriesDescription, DicomTag.ProtocolName }
            .Select(tag => instance.GetString(tag)?.ToUpperInvariant() ?? "")
            .Any(text => ChestWords.Any(text.Contains));
    }

    /// <summary>"PA", "AP" or null: ViewPosition first, then the View Code Sequence.</summary>
    public static string? FrontalView(IDicomAttributes instance)
    {
        var view = instance.GetString(DicomTag.ViewPosition)?.ToUpperInvariant();
        if (view is "PA" or "AP") return view;
        if (view is { Length: > 0 }) return null; // LL, RL, LATERAL, oblique…: a stated non-frontal view
        return instance.GetSequence(DicomTag.ViewCodeSequence)
            .Select(code => FrontalViewCodes.GetValueOrDefault(code.GetString(DicomTag.CodeValue) ?? ""))
            .FirstOrDefault(v => v is not null);
    }

    /// <summary>Localizers and secondary (derived-for-display) images never go to the model.</summary>
    public static bool IsExcludedImageType(IDicomAttributes instance)
    {
        var types = instance.GetStrings(DicomTag.ImageType).Select(t => t.ToUpperInvariant()).ToList();
        return types.Contains("LOCALIZER") || types.Contains("SECONDARY");
    }

    public static bool IsDerived(IDicomAttributes instance) =>
        instance.GetStrings(DicomTag.ImageType).FirstOrDefault()?.ToUpperInvariant() == "DERIVED";
}
