using System.Text.Json;
using LlavaRad.Review.Drafts;

namespace LlavaRad.Review.Agreement;

/// <summary>A draft and the final report the radiologist signed for it: the unit of draft-vs-final agreement.</summary>
public sealed record ReviewPair(string Id, string DraftText, string FinalText, DateTimeOffset DraftedAt, DateTimeOffset SignedAt);

/// <summary>
/// The collected pairs: from the archive (signed drafts), and as JSON lines ({id, draftText, finalText, draftedAt,
/// signedAt}) so `llavarad eval` can read them without the app.
/// </summary>
public static class ReviewPairs
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<ReviewPair>> FromArchiveAsync(IReviewArchive archive, CancellationToken cancellationToken = default) =>
        (await archive.ListAsync(cancellationToken))
            .Where(e => e.State is { Status: ReviewStatus.Signed or ReviewStatus.Superseded, FinalText: { Length: > 0 } })
            .Select(e => new ReviewPair(e.Id, e.Draft.FindingsText, e.State.FinalText!, e.ArrivedAt, e.State.ChangedAt))
            .OrderBy(p => p.SignedAt)
            .ToList();

    public static async Task WriteJsonLinesAsync(IEnumerable<ReviewPair> pairs, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, leaveOpen: true);
        foreach (var pair in pairs) await writer.WriteLineAsync(JsonSerializer.Serialize(pair, Json).AsMemory(), cancellationToken);
    }

    /// <summary>Reads pairs; a malformed line is an error that names its line number.</summary>
    public static async Task<IReadOnlyList<ReviewPair>> ReadJsonLinesAsync(TextReader input, CancellationToken cancellationToken = default)
    {
        var pairs = new List<ReviewPair>();
        var number = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                pairs.Add(JsonSerializer.Deserialize<ReviewPair>(line, Json) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"review pairs line {number}: not a pair ({e.Message})", e);
            }
        }
        return pairs;
    }
}
