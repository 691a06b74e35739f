using Hl7.Fhir.Model;
using LlavaRad.Review.Drafts;

namespace LlavaRad.Review.SignOff;

/// <summary>Where the draft's FHIR resources live and where the review's transactions go: the FHIR server or the demo's output folder.</summary>
public interface IDraftRecords
{
    /// <summary>The draft, its review Task and the AI Device as they are now; throws <see cref="ReviewException"/> when unreadable.</summary>
    Task<DraftResources> LoadAsync(ReviewEntry entry, CancellationToken cancellationToken);

    /// <summary>Applies the transaction; returns a reference to the final report (sign) or the transaction's record.</summary>
    Task<string> SubmitAsync(ReviewEntry entry, string action, Bundle transaction, CancellationToken cancellationToken);
}

/// <summary>A review action that could not be done, with a kebab-case code the page shows and the audit records.</summary>
public sealed class ReviewException(string code, string message, int httpStatus = 409, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
    public int HttpStatus { get; } = httpStatus;
}
