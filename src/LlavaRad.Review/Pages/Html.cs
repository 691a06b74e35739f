using System.Globalization;
using System.Text.Encodings.Web;

namespace LlavaRad.Review.Pages;

/// <summary>The few helpers the server-rendered pages share: encoding, the page frame, ages.</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Page(string title, string body, string script) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{E(title)} · LlavaRad review</title>
          <link rel="stylesheet" href="{ReviewPaths.Static("review.css")}">
        </head>
        <body>
        <header class="bar"><a href="{ReviewPaths.Worklist}">Worklist</a><a href="{ReviewPaths.Quality}">Quality</a><span class="product">LlavaRad review — AI drafts are unverified</span></header>
        <main>
        {body}
        </main>
        <script src="{ReviewPaths.Static(script)}"></script>
        </body>
        </html>
        """;

    public static string Age(TimeSpan age) => age.TotalMinutes < 1 ? "just now"
        : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
        : age.TotalDays < 1 ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : $"{(int)age.TotalDays} d {age.Hours} h";

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
