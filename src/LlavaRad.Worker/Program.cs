using LlavaRad.Worker.HealthChecks;
using LlavaRad.Contracts;
using Microsoft.Extensions.Options;
using Npgsql;

// Today the worker hosts its health endpoint and its dependencies; sources and the job pipeline follow (issue 10).
var builder = WebApplication.CreateBuilder(args);
builder.Services.Configure<InferenceNodeClientOptions>(builder.Configuration.GetSection(InferenceNodeClientOptions.Section));
builder.Services.AddSingleton(sp => new InferenceNodeClient(sp.GetRequiredService<IOptions<InferenceNodeClientOptions>>().Value));
var health = builder.Services.AddHealthChecks().AddCheck<InferenceNodeHealthCheck>("inference-node");
if (builder.Configuration.GetConnectionString("JobStore") is { Length: > 0 } jobStore)
{
    builder.Services.AddSingleton(NpgsqlDataSource.Create(jobStore));
    health.AddCheck<PostgresHealthCheck>("job-store");
}

var app = builder.Build();
app.MapHealthChecks("/healthz");
app.Run();
