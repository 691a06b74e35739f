using System.Security.Claims;
using LlavaRad.Review.SignOff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlavaRad.Review.Auth;

/// <summary>
/// Who is signed in to the review app: a cookie session of its own scheme (so it never mixes with the host's other
/// endpoints) that expires a fixed time after sign-in. Pages redirect to the sign-in page; the rows feed and
/// form posts answer 401.
/// </summary>
public static class ReviewAuthentication
{
    public const string Scheme = "llavarad-review";
    public const string Policy = "llavarad-review-reviewer";
    public const string FhirUserClaim = "fhirUser";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<ReviewOptions>>((cookie, review) =>
        {
            cookie.Cookie.Name = "llavarad-review-session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.Path = ReviewPaths.Root;
            cookie.LoginPath = ReviewPaths.Login;
            cookie.ExpireTimeSpan = review.Value.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnRedirectToLogin = context =>
            {
                var wantsPage = HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments(ReviewPaths.WorklistRows);
                if (wantsPage) context.Response.Redirect(context.RedirectUri);
                else context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "llavarad-review-csrf";
            options.Cookie.Path = ReviewPaths.Root;
            options.FormFieldName = "__csrf";
        });
    }

    /// <summary>The local single-user reviewer's session.</summary>
    public static Task SignInLocalAsync(HttpContext context) =>
        context.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Reviewer.Local.Id), new Claim(ClaimTypes.Name, Reviewer.Local.Display)], Scheme)));

    public static Reviewer ReviewerOf(ClaimsPrincipal user) =>
        user.FindFirst(FhirUserClaim)?.Value is { Length: > 0 } practitioner
            ? new Reviewer(practitioner, user.Identity?.Name ?? "Practitioner")
            : Reviewer.Local;
}
