using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LlavaRad.Review.Audit;

/// <summary>The standalone host's audit: one JSON line per action in review-audit.jsonl beside the review output.</summary>
public sealed class JsonLinesReviewAudit(IOptions<ReviewOptions> options) : IReviewAudit
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _lock = new(1, 1);

    public string Path => System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value.OutputFolder), "review-audit.jsonl");

    public async Task RecordAsync(ReviewAuditRecord record, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await File.AppendAllTextAsync(Path, JsonSerializer.Serialize(record, Json) + "\n", cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }
}
