using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Configuration;

/// <summary>
/// Runs every ValidateOnStart validator before any other hosted service is built. The host builds its hosted
/// services before it validates, and a constructor that reads a bad options value would stop the start with that
/// one problem; registered first, this reports all of them together.
/// </summary>
public sealed class StartupSettingsCheck : IHostedService
{
    public StartupSettingsCheck(IServiceProvider services) => services.GetService<IStartupValidator>()?.Validate();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
