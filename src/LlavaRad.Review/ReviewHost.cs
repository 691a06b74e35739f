using LlavaRad.Fhir;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Review;

/// <summary>What a standalone review app serves: the archive, where decisions go, and on which loopback URL.</summary>
/// <param name="Url">"http://127.0.0.1:PORT"; port 0 picks a free one (see <see cref="ReviewHost.Url"/>).</param>
/// <param name="FhirBaseUrl">With a FHIR server, decisions are transactions there; without, bundles in <paramref name="OutputFolder"/>.</param>
public sealed record ReviewHostSettings(string ArchiveFolder, string OutputFolder, Uri Url, Uri? FhirBaseUrl = null);

/// <summary>
/// The review app on its own (for `llavarad demo --review URL` and tests): serves until stopped and reports the
/// URL it listens on. The worker does not use this; it maps the same endpoints into its own host.
/// </summary>
public sealed class ReviewHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReviewHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The address it listens on, ending in /review/.</summary>
    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ReviewHost> StartAsync(ReviewHostSettings settings, Action<IServiceCollection>? configure = null,
        CancellationToken cancellationToken = default)
    {
        if (!settings.Url.IsLoopback) throw new ArgumentException("the standalone review app serves a loopback URL only", nameof(settings));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ReviewOptions.Section}:{nameof(ReviewOptions.Enabled)}"] = "true",
            [$"{ReviewOptions.Section}:{nameof(ReviewOptions.ArchiveFolder)}"] = settings.ArchiveFolder,
            [$"{ReviewOptions.Section}:{nameof(ReviewOptions.OutputFolder)}"] = settings.OutputFolder,
            ["Fhir:BaseUrl"] = settings.FhirBaseUrl?.AbsoluteUri,
        });
        builder.WebHost.UseUrls(settings.Url.GetLeftPart(UriPartial.Authority));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (settings.FhirBaseUrl is not null)
        {
            builder.Services.Configure<FhirStoreOptions>(builder.Configuration.GetSection("Fhir"));
            builder.Services.AddFhirStore();
        }
        builder.Services.AddReviewApp(builder.Configuration, fhir: settings.FhirBaseUrl is not null);
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", () => Results.Redirect(ReviewPaths.Worklist));
        app.MapReview();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ReviewHost(app, new Uri(new Uri(address.Replace("[::]", "127.0.0.1")), ReviewPaths.Worklist));
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> fires (Ctrl+C / SIGTERM in the CLI).</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
