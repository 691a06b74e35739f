using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Tests.Jobs;

public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<SqlDialect> CreateDialectAsync() => Task.FromResult(JobStoreDialects.Sqlite(_dir.File("jobs.db")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task JobsSurviveReopeningTheFile()
    {
        await Store.EnqueueAsync(new JobRequest("1.2.3", "m", "p", JobPriority.Urgent));
        var reopened = new SqlJobStore(JobStoreDialects.Sqlite(_dir.File("jobs.db")), Options, Clock);
        await reopened.MigrateAsync();

        Assert.Equal(JobPriority.Urgent, (await reopened.FindAsync("1.2.3|m|p"))!.Priority);
    }
}
