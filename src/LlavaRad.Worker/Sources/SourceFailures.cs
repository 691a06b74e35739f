using LlavaRad.Fhir;
using LlavaRad.Imaging;

namespace LlavaRad.Worker.Sources;

/// <summary>The coded reason an operator sees when a source could not read its peer.</summary>
public static class SourceFailures
{
    public const string PeerUnreachable = "peer-unreachable";
    public const string PeerTimeout = "peer-timeout";
    public const string JobStoreFailed = "job-store-failed";
    public const string Unexpected = "source-failed";

    public static string Code(Exception e) => e switch
    {
        DicomWebException dicomWeb => dicomWeb.Code,
        FhirStoreException fhir => fhir.Code,
        OrthancException orthanc => orthanc.Code,
        HttpRequestException => PeerUnreachable,
        TimeoutException or TaskCanceledException => PeerTimeout,
        System.Data.Common.DbException => JobStoreFailed,
        _ => Unexpected,
    };

    /// <summary>First delay, doubled per consecutive failure, capped.</summary>
    public static TimeSpan Backoff(int consecutiveFailures, TimeSpan first, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds,
            first.TotalMilliseconds * Math.Pow(2, Math.Clamp(consecutiveFailures - 1, 0, 30))));
}
