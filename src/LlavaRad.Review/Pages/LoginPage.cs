using static LlavaRad.Review.Pages.Html;

namespace LlavaRad.Review.Pages;

/// <summary>Sign-in for the local single-user mode: clearly labelled, one button, protected like every post.</summary>
internal static class LoginPage
{
    public static string Render(string returnUrl, string antiforgeryField, string antiforgeryToken) => Page("Sign in", $"""
        <h1>Sign in</h1>
        <div class="banner" data-role="local-mode">Local single-user mode (demo): there is no identity provider; whoever uses
        this machine reviews and signs as the local reviewer. Sites use SMART App Launch instead.</div>
        <form method="post" action="{ReviewPaths.Login}">
          <input type="hidden" name="{E(antiforgeryField)}" value="{E(antiforgeryToken)}">
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <button type="submit" data-action="sign-in-local">Continue as the local reviewer</button>
        </form>
        """, "worklist.js");
}
