using LlavaRad.Findings.Labeling;

namespace LlavaRad.Findings;

/// <summary>
/// Findings text -> the 14 CheXpert labels, rule-based (a substitute for CheXbert, which needs a model we do not run).
/// Per observation over all sentences: any positive mention wins, else any uncertain, else negative (CheXpert's order).
/// No Finding follows CheXpert's rule: positive when no other observation except Support Devices is positive or
/// uncertain; otherwise blank (it is never negative or uncertain).
/// </summary>
public sealed class FindingsLabeler(PhraseLists lists)
{
    private readonly SentenceLabeler _sentences = new(lists);

    public FindingsLabeler() : this(PhraseLists.Default) { }

    public FindingsLabels Label(string findingsText)
    {
        if (string.IsNullOrWhiteSpace(findingsText)) return new FindingsLabels([]); // nothing was said: all blank
        var mentions = ReportText.Sentences(findingsText).SelectMany(_sentences.Label).ToList();
        var labels = mentions
            .GroupBy(m => m.Observation)
            .Select(g => g.OrderBy(m => Precedence(m.Status)).First())
            .Select(m => new ObservationLabel(m.Observation, m.Status, m.Sentence.Text, m.Cue))
            .ToList();
        labels.Add(NoFindingRule(labels));
        return new FindingsLabels(labels);
    }

    private static int Precedence(FindingStatus status) => status switch
    {
        FindingStatus.Positive => 0,
        FindingStatus.Uncertain => 1,
        _ => 2,
    };

    private static ObservationLabel NoFindingRule(IEnumerable<ObservationLabel> labels)
    {
        var abnormal = labels.Any(l => l.Observation is not (Observation.SupportDevices or Observation.NoFinding)
                                       && l.Status is FindingStatus.Positive or FindingStatus.Uncertain);
        return abnormal
            ? new ObservationLabel(Observation.NoFinding, FindingStatus.Blank, null)
            : new ObservationLabel(Observation.NoFinding, FindingStatus.Positive, null, "CheXpert No Finding rule: nothing positive or uncertain");
    }
}
