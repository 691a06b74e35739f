using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Review.Drafts;
using LlavaRad.Worker.Outcomes;
using LlavaRad.Worker.Pipeline;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Review;

/// <summary>
/// Puts each written draft under review: the archive entry with the exact 8-bit frontal image the model saw. A
/// failure is transient: the draft's own write is idempotent, so the retried job only adds the entry.
/// </summary>
public sealed class ReviewArchiveSink(IReviewArchive archive, IOptions<WriteBackOptions> writeBack)
{
    private const uint StudyDescription = 0x00081030;

    public async Task AddAsync(DraftReportRequest request, FrontalImage image, string urgencyRule, DraftLocation draft,
        CancellationToken cancellationToken)
    {
        var description = image.Source?.GetString(StudyDescription) is { Length: > 0 } text ? text : "Chest radiograph";
        try
        {
            await archive.AddDraftAsync(request, writeBack.Value, image.Image, description, urgencyRule, draft.Location, heatmap: null,
                cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StudyPipelineException.Retry(PipelineReasons.LocalWriteFailed, $"cannot add the draft to the review archive: {e.GetType().Name}", e);
        }
    }
}
