namespace LlavaRad.Findings.Labeling;

/// <summary>One mention found in a sentence, with the status its scope gives it and the cue that decided it.</summary>
internal sealed record Mention(Observation Observation, FindingStatus Status, string? Cue, Sentence Sentence);

/// <summary>
/// Labels the mentions of one sentence, CheXpert/NegBio style but on word tokens instead of a parse:
/// 1. scope breaks ("but", "however", ";" …) cut the sentence into clauses; a cue only reaches mentions in its clause;
/// 2. "cannot be excluded"-type cues are found first (they contain "not" but mean uncertain), then pseudo-cues
///    ("no change in", "unchanged": the finding persists), and both hide their words from the plain cues;
/// 3. a mention takes the nearest cue before it and the nearest cue after it; neither reaches past a word such as
///    "unchanged", "persists", "is seen", which gives a mention its own verb ("no effusion is seen and the heart is
///    enlarged"); uncertain-over-negation beats negation beats uncertainty.
/// </summary>
internal sealed class SentenceLabeler(PhraseLists lists)
{
    private enum CueKind { UncertainOverNegation, Negation, Uncertainty }

    private sealed record Cue(int Start, int End, CueKind Kind, bool Before, bool After, string Text);

    public IEnumerable<Mention> Label(Sentence sentence)
    {
        var tokens = sentence.Tokens;
        var clause = ClauseNumbers(tokens, out var isBreak);
        var consumed = (bool[])isBreak.Clone();

        var cues = new List<Cue>();
        AddCues(cues, tokens, consumed, CueKind.UncertainOverNegation, lists.UncertaintyOverNegationBefore, lists.UncertaintyOverNegationAfter);
        FindAll(tokens, lists.PseudoCues, consumed);
        AddCues(cues, tokens, consumed, CueKind.Negation, lists.NegationBefore, lists.NegationAfter);
        AddCues(cues, tokens, consumed, CueKind.Uncertainty, lists.UncertaintyBefore, lists.UncertaintyAfter);
        var stops = FindAll(tokens, lists.PostScopeStops, (bool[])isBreak.Clone()).Select(s => s.Start).ToList();

        foreach (var (start, end, mention) in FindMentions(tokens, isBreak))
        {
            if (mention.Observation is not { } observation) continue; // a look-alike such as "pericardial effusion"
            if (mention.StatesAbsence)
            {
                yield return new Mention(observation, FindingStatus.Negative, $"absence statement \"{mention.Phrase.Text}\"", sentence);
                continue;
            }
            // A cue inside a gapped mention ("heart is NOT enlarged") counts as before it.
            var before = cues.Where(c => c.Before && clause[c.Start] == clause[start] && c.End <= end && !stops.Any(s => s >= c.End && s < start))
                .MaxBy(c => c.End);
            var after = cues.Where(c => c.After && c.Start >= end && clause[c.Start] == clause[start] && !stops.Any(s => s >= end && s < c.Start))
                .MinBy(c => c.Start);
            var decisive = new[] { before, after }.OfType<Cue>().OrderBy(c => c.Kind).FirstOrDefault();
            yield return decisive switch
            {
                null => new Mention(observation, FindingStatus.Positive, null, sentence),
                { Kind: CueKind.Negation } => new Mention(observation, FindingStatus.Negative, decisive.Text, sentence),
                _ => new Mention(observation, FindingStatus.Uncertain, decisive.Text, sentence),
            };
        }
    }

    /// <summary>A phrase on both lists (e.g. "versus") reaches mentions on both sides.</summary>
    private static void AddCues(List<Cue> cues, string[] tokens, bool[] consumed, CueKind kind, IReadOnlyList<Phrase> before, IReadOnlyList<Phrase> after)
    {
        foreach (var (start, end, phrase) in FindAll(tokens, [.. before, .. after], consumed))
            cues.Add(new Cue(start, end, kind, before.Any(p => p.Text == phrase.Text), after.Any(p => p.Text == phrase.Text), phrase.Text));
    }

    /// <summary>Clause number of every token; break phrases themselves are marked in <paramref name="isBreak"/>.</summary>
    private int[] ClauseNumbers(string[] tokens, out bool[] isBreak)
    {
        isBreak = new bool[tokens.Length];
        FindAll(tokens, lists.ScopeBreaks, isBreak);
        var clause = new int[tokens.Length];
        for (int i = 0, number = 0; i < tokens.Length; i++)
        {
            if (isBreak[i] && (i == 0 || !isBreak[i - 1])) number++;
            clause[i] = number;
        }
        return clause;
    }

    /// <summary>Longest phrases first, left to right, without overlap; found tokens are marked in <paramref name="used"/>.</summary>
    private static List<(int Start, int End, Phrase Phrase)> FindAll(string[] tokens, IReadOnlyList<Phrase> phrases, bool[] used)
    {
        var candidates = new List<(int Start, int End, Phrase Phrase)>();
        for (var i = 0; i < tokens.Length; i++)
            foreach (var phrase in phrases)
            {
                var length = phrase.MatchAt(tokens, i, p => used[p]);
                if (length > 0) candidates.Add((i, i + length, phrase));
            }
        var found = new List<(int Start, int End, Phrase Phrase)>();
        foreach (var candidate in candidates.OrderByDescending(c => c.End - c.Start).ThenBy(c => c.Start))
        {
            if (Enumerable.Range(candidate.Start, candidate.End - candidate.Start).Any(p => used[p])) continue;
            for (var p = candidate.Start; p < candidate.End; p++) used[p] = true;
            found.Add(candidate);
        }
        return found;
    }

    /// <summary>Mentions never overlap each other; the same phrase may name two observations ("hydropneumothorax").</summary>
    private IEnumerable<(int Start, int End, MentionPhrase Mention)> FindMentions(string[] tokens, bool[] isBreak)
    {
        var used = (bool[])isBreak.Clone();
        var spans = FindAll(tokens, lists.Mentions.Select(m => m.Phrase).ToList(), used);
        foreach (var (start, end, phrase) in spans.OrderBy(s => s.Start))
        {
            var sameText = lists.Mentions.Where(m => m.Phrase.Text == phrase.Text);
            foreach (var mention in sameText) yield return (start, end, mention);
        }
    }
}
