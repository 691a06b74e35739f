using Google.Protobuf;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Imaging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>The model's answer as the later stages need it.</summary>
public sealed record GeneratedFindings(string Text, IReadOnlyList<double> TokenLogProbabilities, LlavaRad.Fhir.WriteBack.ModelIdentity Model);

/// <summary>
/// Stage 5, infer: the 8-bit pixels and the indication go to the node, nothing else about the study or patient.
/// The shared client brings the deadline, retries with backoff and node load balancing; what still fails becomes a
/// coded reason: unavailable, deadline and busy are transient (the job waits for the node).
/// </summary>
public sealed class FindingsGenerator(InferenceNodeClient node, IOptions<PipelineOptions> options)
{
    public async Task<GeneratedFindings> GenerateAsync(Gray8Image image, string? indication, int priority, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Priority = (Priority)(priority + 1),
            Images = { new Image { Raw = new RawGrayImage
            {
                Width = (uint)image.Width, Height = (uint)image.Height, Pixels = ByteString.CopyFrom(image.Pixels),
            } } },
            Indication = indication ?? "",
            Options = new GenerationOptions { MaxNewTokens = (uint)options.Value.MaxNewTokens },
        };
        try
        {
            var response = await node.GenerateAsync(request, cancellationToken);
            var model = response.Model ?? new ModelIdentity();
            return new GeneratedFindings(response.Text, response.TokenLogprobs.Select(p => (double)p).ToList(),
                new LlavaRad.Fhir.WriteBack.ModelIdentity(model.ModelId, model.ModelId, model.ModelVersion, model.WeightsSha256));
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Classify(e);
        }
    }

    /// <summary>By the node's ErrorInfo reason (llavarad.v1); a node that sends none is classified by its status code.</summary>
    private static StudyPipelineException Classify(RpcException e)
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
}
