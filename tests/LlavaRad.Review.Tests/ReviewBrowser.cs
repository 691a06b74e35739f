using Microsoft.Playwright;

namespace LlavaRad.Review.Tests;

/// <summary>
/// Debian's headless Chromium driven by Playwright (no browser download), shared by a test class. Screenshots go
/// to TestResults/review-screenshots beside the test assembly (or REVIEW_SCREENSHOTS_DIR).
/// </summary>
public sealed class ReviewBrowser : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("REVIEW_SCREENSHOTS_DIR") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "TestResults", "review-screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (tests/run.sh does)");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers run the tests as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
    }

    /// <summary>Opens the app; the unauthenticated request is redirected to sign-in, where the local reviewer signs in.</summary>
    public static async Task SignInAsync(IPage page, Uri worklist)
    {
        await page.GotoAsync(worklist.AbsoluteUri);
        Assert.Contains("/review/login", page.Url);
        await page.ClickAsync("[data-action=sign-in-local]");
        // The context's default timeout applies: each suite sets one for a loaded 2-core machine.
        await page.WaitForURLAsync(url => url.EndsWith("/review/", StringComparison.Ordinal));
    }
}
