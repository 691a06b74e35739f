namespace LlavaRad.Model.Generation;

/// <summary>
/// Decides how much generated text may be released: text that could still become a stop string is held back,
/// and a completed stop string ends the text just before it.
/// </summary>
public sealed class StopStringMatcher(IReadOnlyList<string> stops)
{
    private readonly System.Text.StringBuilder _text = new();
    private int _released;

    public bool Stopped { get; private set; }

    /// <summary>Adds decoded text; returns the part that is now safe to release.</summary>
    public string Add(string delta)
    {
        _text.Append(delta);
        var text = _text.ToString();
        var stopAt = stops.Select(s => text.IndexOf(s, Math.Max(0, _released - s.Length), StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (stopAt >= 0)
        {
            Stopped = true;
            return Release(text, Math.Max(stopAt, _released));
        }
        return Release(text, text.Length - HeldBack(text));
    }

    /// <summary>At the end without a stop: release everything held back.</summary>
    public string Flush() => Stopped ? "" : Release(_text.ToString(), _text.Length);

    private int HeldBack(string text)
    {
        var held = 0;
        foreach (var stop in stops)
            for (var n = Math.Min(stop.Length - 1, text.Length); n > held; n--)
                if (text.AsSpan(text.Length - n).SequenceEqual(stop.AsSpan(0, n))) { held = n; break; }
        return held;
    }

    private string Release(string text, int upTo)
    {
        if (upTo <= _released) return "";
        var part = text[_released..upTo];
        _released = upTo;
        return part;
    }
}
