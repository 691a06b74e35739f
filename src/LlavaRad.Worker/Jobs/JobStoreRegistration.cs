using Microsoft.Extensions.Options;
using Npgsql;

namespace LlavaRad.Worker.Jobs;

/// <summary>Wires the configured job store and migrates it before anything runs.</summary>
public static class JobStoreRegistration
{
    public static IServiceCollection AddJobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobStoreOptions>().Bind(configuration.GetSection(JobStoreOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobStoreOptions>, JobStoreOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        // Resolved after the validator has passed, so the provider is one of the two and PostgreSQL has its connection.
        services.AddSingleton(sp => NpgsqlDataSource.Create(configuration.GetConnectionString("JobStore")!));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobStoreOptions>>().Value switch
        {
            { Provider: JobStoreOptions.PostgreSql } => JobStoreDialects.Postgres(sp.GetRequiredService<NpgsqlDataSource>()),
            var sqlite => JobStoreDialects.Sqlite(sqlite.SqlitePath),
        });
        services.AddSingleton(sp => new SqlJobStore(sp.GetRequiredService<SqlDialect>(),
            sp.GetRequiredService<IOptions<JobStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<SqlJobStore>());
        services.AddSingleton(sp => new SqlCursorStore(sp.GetRequiredService<SqlDialect>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LlavaRad.Fhir.Intake.IPollCursorStore>(sp => sp.GetRequiredService<SqlCursorStore>());
        services.AddHostedService<JobStoreMigrationService>();
        return services;
    }
}

/// <summary>Applies pending schema migrations at start-up, before the host starts the other services.</summary>
public sealed class JobStoreMigrationService(SqlJobStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
