using Google.Protobuf;
using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Imaging;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>The model's answer as the later stages need it.</summary>
public sealed record GeneratedFindings(string Text, IReadOnlyList<double> TokenLogProbabilities, LlavaRad.Fhir.WriteBack.ModelIdentity Model);

/// <summary>Stage 5, infer, as the pipeline calls it: the one place a job spends GPU time.</summary>
public interface IFindingsGenerator
{
    Task<GeneratedFindings> GenerateAsync(Gray8Image image, string? indication, int priority, CancellationToken cancellationToken);
}

/// <summary>
/// Stage 5, infer: the 8-bit pixels and the indication go to the node, nothing else about the study or patient.
/// The shared client brings the deadline, retries with backoff and node load balancing; what still fails becomes a
/// coded reason: unavailable, deadline and busy are transient (the job waits for the node).
/// </summary>
public sealed class FindingsGenerator(InferenceNodeClient node, IOptions<PipelineOptions> options) : IFindingsGenerator
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
            // The model id is the job key's (Pipeline:ModelId), so the job and its FHIR draft name one model line; the
            // node adds what it actually ran: its name, version and weights, which make a new FHIR key per version.
            return new GeneratedFindings(response.Text, response.TokenLogprobs.Select(p => (double)p).ToList(),
                new LlavaRad.Fhir.WriteBack.ModelIdentity(options.Value.ModelId, model.ModelId, model.ModelVersion, model.WeightsSha256,
                    model.Licence, model.ResearchUseAcknowledged));
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw FailureOutcomes.From(e);
        }
    }
}
