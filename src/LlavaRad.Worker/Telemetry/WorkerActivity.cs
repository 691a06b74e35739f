using System.Diagnostics;

namespace LlavaRad.Worker.Telemetry;

/// <summary>
/// The worker's trace source. A span started here around a job becomes the parent of the HTTP (FHIR, DICOMweb)
/// and gRPC (inference node) spans the instrumentation records, and its context travels in their headers.
/// </summary>
public static class WorkerActivity
{
    public const string SourceName = "LlavaRad.Worker";

    public static readonly ActivitySource Source = new(SourceName);
}
