using LlavaRad.Contracts;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Options;

/// <summary>Binds the worker's options and validates them when the host starts, so a bad setting stops the
/// worker with a message naming it instead of failing on the first study.</summary>
public static class OptionsRegistration
{
    public static IServiceCollection AddValidatedWorkerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StudySourcesOptions>().Bind(configuration.GetSection(StudySourcesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StudySourcesOptions>, StudySourcesOptionsValidator>();
        services.AddSingleton<IValidateOptions<StudySourcesOptions>, FhirSourcesOptionsValidator>();
        services.AddOptions<JobStoreOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobStoreOptions>, JobStoreOptionsValidator>();
        services.AddOptions<InferenceNodeClientOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceNodeClientOptions>, InferenceNodeOptionsValidator>();
        return services;
    }
}
