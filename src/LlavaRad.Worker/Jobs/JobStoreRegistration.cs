using LlavaRad.Worker.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LlavaRad.Worker.Jobs;

/// <summary>Wires the configured job store, migrates it before anything runs, and health-checks PostgreSQL.</summary>
public static class JobStoreRegistration
{
    public static IServiceCollection AddJobStore(this IServiceCollection services, IConfiguration configuration, IHealthChecksBuilder health)
    {
        services.Configure<JobStoreOptions>(configuration.GetSection(JobStoreOptions.Section));
        services.AddSingleton(TimeProvider.System);
        var options = configuration.GetSection(JobStoreOptions.Section).Get<JobStoreOptions>() ?? new JobStoreOptions();
        switch (options.Provider)
        {
            case "sqlite":
                services.AddSingleton(_ => JobStoreDialects.Sqlite(options.SqlitePath));
                break;
            case "postgresql":
                var connectionString = configuration.GetConnectionString("JobStore");
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("JobStore:Provider is postgresql but ConnectionStrings:JobStore is empty");
                services.AddSingleton(NpgsqlDataSource.Create(connectionString));
                services.AddSingleton(sp => JobStoreDialects.Postgres(sp.GetRequiredService<NpgsqlDataSource>()));
                health.AddCheck<PostgresHealthCheck>("job-store", tags: [WorkerHealthRegistration.ReadyTag]);
                break;
            default:
                throw new InvalidOperationException($"JobStore:Provider \"{options.Provider}\" is neither sqlite nor postgresql");
        }
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
