using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Fhir;
using LlavaRad.Imaging;

namespace LlavaRad.Worker.Outcomes;

/// <summary>
/// Turns the failures of the libraries the stages call (DICOMweb, FHIR, gRPC, DICOM reading) into outcomes. Whether
/// each is retried is decided here and nowhere else: the server or the network may recover; the request or the
/// data will not.
/// </summary>
public static class FailureOutcomes
{
    /// <summary>A DICOMweb code (or a selection or DICOM read code from the same fetch): only the server or network is retried.</summary>
    public static Outcome FromDicomWeb(string code, string detail) =>
        new(code, code is DicomWebException.Unreachable or DicomWebException.Timeout or DicomWebException.ServerError, detail);

    /// <summary>FHIR failures: the server or the network may recover; a missing or unusable resource, or an address off the allowed bases, will not.</summary>
    public static StudyPipelineException From(FhirStoreException e) =>
        new(new Outcome(e.Code, e.Code is not (FhirStoreException.NotFound or FhirStoreException.IncompleteResource or FhirStoreException.UrlNotAllowed), e.Message), e);

    /// <summary>
    /// The inference node, by its ErrorInfo reason (llavarad.v1): a busy, loading or stopping node is waited for; a
    /// refused request will not change. A node that sends no ErrorInfo is classified by its status code.
    /// </summary>
    public static StudyPipelineException From(RpcException e)
    {
        var reason = NodeError.From(e).Reason;
        return reason switch
        {
            NodeErrorReasons.QueueFull => StudyPipelineException.Retry(PipelineReasons.InferenceNodeBusy, "inference node queue full", e),
            NodeErrorReasons.ModelLoading or NodeErrorReasons.ModelFailed or NodeErrorReasons.NodeStopping =>
                StudyPipelineException.Retry(PipelineReasons.InferenceNodeUnavailable, $"inference node unavailable ({reason})", e),
            NodeErrorReasons.ImageInvalid or NodeErrorReasons.ImageTooLarge or NodeErrorReasons.OptionsInvalid or NodeErrorReasons.PriorityInvalid
                or NodeErrorReasons.RequestTooLong or NodeErrorReasons.RequestUndecodable =>
                StudyPipelineException.Final(PipelineReasons.InferenceRequestRejected, $"inference node refused the request ({reason})"),
            _ => e.StatusCode switch
            {
                StatusCode.Unavailable => StudyPipelineException.Retry(PipelineReasons.InferenceNodeUnavailable, "inference node unavailable", e),
                StatusCode.DeadlineExceeded => StudyPipelineException.Retry(PipelineReasons.InferenceNodeDeadline, "inference node did not answer in time", e),
                StatusCode.ResourceExhausted => StudyPipelineException.Retry(PipelineReasons.InferenceNodeBusy, "inference node queue full", e),
                StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange =>
                    StudyPipelineException.Final(PipelineReasons.InferenceRequestRejected, $"inference node refused the image ({e.StatusCode})"),
                _ => StudyPipelineException.Retry(PipelineReasons.InferenceNodeError, $"inference node failed ({e.StatusCode})", e),
            },
        };
    }

    /// <summary>
    /// A file of a watched folder that does not read: truncated is most often a file still being written (a copy
    /// paused longer than the stability time), so it is tried again later; any other read code is final.
    /// </summary>
    public static StudyPipelineException FromFolderFile(DicomReadException e, string file) =>
        new(new Outcome(e.Code, e.Code == DicomReadException.Truncated, $"{file}: {e.Message}"));

    /// <summary>A bug or an unforeseen failure: retried (it may be passing), then dead-lettered for an operator.</summary>
    public static Outcome Unexpected(Exception e) => Outcome.Retry(PipelineReasons.Unexpected, e.GetType().Name);
}
