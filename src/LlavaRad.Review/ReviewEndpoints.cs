using System.Reflection;
using LlavaRad.Review.Agreement;
using LlavaRad.Review.Auth;
using LlavaRad.Review.Drafts;
using LlavaRad.Review.Pages;
using LlavaRad.Review.SignOff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlavaRad.Review;

/// <summary>
/// The app's endpoints under /review. Every page and action needs a review session; sign, reject and sign-in
/// need their antiforgery token (400 <c>csrf-token-invalid</c> without). Studies are addressed by opaque id.
/// </summary>
public static class ReviewEndpoints
{
    private static readonly Dictionary<string, string> StaticTypes = new()
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapReview(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ReviewPaths.Static("{file}"), ServeStatic);
        endpoints.MapGet(ReviewPaths.Login, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return HtmlResult(LoginPage.Render(LocalOnly(returnUrl), tokens.FormFieldName, tokens.RequestToken!));
        });
        endpoints.MapPost(ReviewPaths.Login, (HttpContext context, IAntiforgery antiforgery) => WithForm(context, antiforgery, async form =>
        {
            await ReviewAuthentication.SignInLocalAsync(context);
            return Results.Redirect(LocalOnly(form["returnUrl"]));
        }));

        var app = endpoints.MapGroup(ReviewPaths.Root).RequireAuthorization(ReviewAuthentication.Policy);
        app.MapGet("/", async (IReviewArchive archive, IOptions<ReviewOptions> options, TimeProvider clock, string? priority, string? status,
            CancellationToken cancellationToken) =>
            HtmlResult(WorklistPage.Render(await archive.ListAsync(cancellationToken), WorklistFilter.Parse(priority, status), clock.GetUtcNow(),
                options.Value.WorklistRefresh)));
        app.MapGet("/worklist/rows", async (IReviewArchive archive, TimeProvider clock, string? priority, string? status, CancellationToken cancellationToken) =>
            HtmlResult(WorklistPage.Lists(await archive.ListAsync(cancellationToken), WorklistFilter.Parse(priority, status), clock.GetUtcNow())));
        app.MapGet("/quality", async (IReviewArchive archive, CancellationToken cancellationToken) =>
            HtmlResult(QualityPage.Render(AgreementReport.Compute(await ReviewPairs.FromArchiveAsync(archive, cancellationToken)))));
        app.MapGet("/quality/pairs.jsonl", async (HttpContext context, IReviewArchive archive) =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await ReviewPairs.WriteJsonLinesAsync(await ReviewPairs.FromArchiveAsync(archive, context.RequestAborted), context.Response.Body,
                context.RequestAborted);
        });
        app.MapGet("/studies/{id}", async (string id, HttpContext context, ReviewWorkflow workflow, IAntiforgery antiforgery) =>
        {
            try
            {
                var entry = await workflow.OpenAsync(id, ReviewAuthentication.ReviewerOf(context.User), context.RequestAborted);
                return StudyResult(context, antiforgery, entry, null, StatusCodes.Status200OK);
            }
            catch (ReviewException e)
            {
                return HtmlResult(StudyPage.Error(e.Code, e.Message), e.HttpStatus);
            }
        });
        app.MapGet("/studies/{id}/frontal.png", async (string id, IReviewArchive archive, CancellationToken cancellationToken) =>
            await archive.ReadFrontalAsync(id, cancellationToken) is { } png ? Results.File(png, "image/png") : Results.NotFound());
        app.MapGet("/studies/{id}/heatmap.json", async (string id, IReviewArchive archive, CancellationToken cancellationToken) =>
            (await archive.FindAsync(id, cancellationToken))?.HeatmapGrid is { } grid ? Results.Json(grid) : Results.NotFound());
        app.MapPost("/studies/{id}/sign", (string id, HttpContext context, IAntiforgery antiforgery, ReviewWorkflow workflow, IReviewArchive archive) =>
            WithForm(context, antiforgery, form => Act(context, antiforgery, archive, id,
                () => workflow.SignAsync(id, form["finalText"].ToString(), ReviewAuthentication.ReviewerOf(context.User), context.RequestAborted))));
        app.MapPost("/studies/{id}/reject", (string id, HttpContext context, IAntiforgery antiforgery, ReviewWorkflow workflow, IReviewArchive archive) =>
            WithForm(context, antiforgery, form => Act(context, antiforgery, archive, id,
                () => workflow.RejectAsync(id, form["reason"].ToString() is { Length: > 0 } r ? r : null,
                    ReviewAuthentication.ReviewerOf(context.User), context.RequestAborted))));
        return endpoints;
    }

    /// <summary>After an action, back to the worklist; a refused action shows the study again with its coded reason.</summary>
    private static async Task<IResult> Act(HttpContext context, IAntiforgery antiforgery, IReviewArchive archive, string id, Func<Task<ReviewEntry>> action)
    {
        try
        {
            await action();
            return Results.Redirect(ReviewPaths.Worklist);
        }
        catch (ReviewException e)
        {
            return await archive.FindAsync(id, context.RequestAborted) is { } entry
                ? StudyResult(context, antiforgery, entry, $"{e.Code}: {e.Message}", e.HttpStatus)
                : HtmlResult(StudyPage.Error(e.Code, e.Message), e.HttpStatus);
        }
    }

    private static async Task<IResult> WithForm(HttpContext context, IAntiforgery antiforgery, Func<IFormCollection, Task<IResult>> handle)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return HtmlResult(StudyPage.Error("csrf-token-invalid", "the form's anti-forgery token is missing or wrong; reload the page"),
                StatusCodes.Status400BadRequest);
        }
        return await handle(await context.Request.ReadFormAsync(context.RequestAborted));
    }

    private static IResult StudyResult(HttpContext context, IAntiforgery antiforgery, ReviewEntry entry, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return HtmlResult(StudyPage.Render(entry, tokens.FormFieldName, tokens.RequestToken!, error), status);
    }

    private static IResult HtmlResult(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    /// <summary>Only paths inside the app: a return URL is never another site.</summary>
    private static string LocalOnly(string? url) =>
        url is { Length: > 1 } && url.StartsWith(ReviewPaths.Root + "/", StringComparison.Ordinal) && !url.Contains("//") && !url.Contains('\\')
            ? url : ReviewPaths.Worklist;

    private static IResult ServeStatic(string file)
    {
        var type = StaticTypes.GetValueOrDefault(Path.GetExtension(file));
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream($"review/{file}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
