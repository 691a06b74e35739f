namespace LlavaRad.Findings;

/// <summary>The 14 labels of one findings text: what the worker, the urgency policy and the FHIR Observations read.</summary>
public sealed class FindingsLabels
{
    private readonly Dictionary<Observation, ObservationLabel> _labels;

    public FindingsLabels(IEnumerable<ObservationLabel> labels)
    {
        _labels = ObservationNames.All.ToDictionary(o => o, o => new ObservationLabel(o, FindingStatus.Blank, null));
        foreach (var label in labels) _labels[label.Observation] = label;
    }

    public ObservationLabel this[Observation observation] => _labels[observation];

    public FindingStatus StatusOf(Observation observation) => _labels[observation].Status;

    /// <summary>All 14 in CheXpert's order.</summary>
    public IEnumerable<ObservationLabel> All => ObservationNames.All.Select(o => _labels[o]);

    /// <summary>Only the mentioned ones (not blank).</summary>
    public IEnumerable<ObservationLabel> Mentioned => All.Where(l => l.Status != FindingStatus.Blank);
}
