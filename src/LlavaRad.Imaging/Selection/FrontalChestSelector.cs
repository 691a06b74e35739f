namespace LlavaRad.Imaging.Selection;

/// <summary>
/// Picks the one frontal chest radiograph of a study from instance metadata (WADO-RS metadata or Part 10 files).
/// Filters in the order an operator would reason: radiographs at all, then chest, then frontal. Among frontal images:
/// PA over AP, original over derived, then the most pixels; ties go to the lowest series/instance number, then UID,
/// so the choice is the same on every run.
/// </summary>
public static class FrontalChestSelector
{
    public static SelectionResult Select(IReadOnlyList<IDicomAttributes> instances)
    {
        if (instances.Count == 0) return SelectionResult.None(SelectionReasons.NoImages, []);
        var verdicts = new List<InstanceVerdict>();
        var radiographs = Keep(instances, ChestImageRules.IsRadiograph, "not a CR/DX image for presentation", verdicts);
        if (radiographs.Count == 0) return SelectionResult.None(SelectionReasons.UnsupportedModality, verdicts);
        var chest = Keep(radiographs, ChestImageRules.IsChest, "not a chest image", verdicts);
        if (chest.Count == 0) return SelectionResult.None(SelectionReasons.NotChest, verdicts);
        var usable = Keep(chest, i => !ChestImageRules.IsExcludedImageType(i), "localizer or secondary image", verdicts);
        var frontal = Keep(usable, i => ChestImageRules.FrontalView(i) is not null, "not a frontal (PA/AP) view", verdicts);
        if (frontal.Count == 0) return SelectionResult.None(SelectionReasons.NoFrontalView, verdicts);

        var ranked = frontal
            .OrderBy(i => ChestImageRules.FrontalView(i) == "PA" ? 0 : 1)
            .ThenBy(i => ChestImageRules.IsDerived(i) ? 1 : 0)
            .ThenByDescending(i => (long)(i.GetInt(DicomTag.Rows) ?? 0) * (i.GetInt(DicomTag.Columns) ?? 0))
            .ThenBy(i => i.GetInt(DicomTag.SeriesNumber) ?? int.MaxValue)
            .ThenBy(i => i.GetInt(DicomTag.InstanceNumber) ?? int.MaxValue)
            .ThenBy(i => i.GetString(DicomTag.SopInstanceUid), StringComparer.Ordinal)
            .ToList();
        foreach (var other in ranked.Skip(1)) verdicts.Add(new InstanceVerdict(Uid(other), "ranked below the chosen image"));
        var chosen = ranked[0];
        verdicts.Add(new InstanceVerdict(Uid(chosen), $"chosen: {ChestImageRules.FrontalView(chosen)} view"));
        return new SelectionResult(SelectionReasons.Frontal, chosen, verdicts);
    }

    private static List<IDicomAttributes> Keep(IReadOnlyList<IDicomAttributes> instances, Func<IDicomAttributes, bool> rule, string rejection, List<InstanceVerdict> verdicts)
    {
        var kept = new List<IDicomAttributes>();
        foreach (var instance in instances)
        {
            if (rule(instance)) kept.Add(instance);
            else verdicts.Add(new InstanceVerdict(Uid(instance), rejection));
        }
        return kept;
    }

    private static string Uid(IDicomAttributes instance) => instance.GetString(DicomTag.SopInstanceUid) ?? "(no SOP Instance UID)";
}

/// <summary>The outcome: <see cref="SelectionReasons.Frontal"/> with the chosen instance, or a coded reason.</summary>
public sealed record SelectionResult(string Outcome, IDicomAttributes? Selected, IReadOnlyList<InstanceVerdict> Verdicts)
{
    public bool Found => Selected is not null;
    public string? SelectedSopInstanceUid => Selected?.GetString(DicomTag.SopInstanceUid);

    public static SelectionResult None(string reason, IReadOnlyList<InstanceVerdict> verdicts) => new(reason, null, verdicts);
}

/// <summary>What the selector thought of one instance, by SOP Instance UID (no patient data).</summary>
public sealed record InstanceVerdict(string SopInstanceUid, string Verdict);
