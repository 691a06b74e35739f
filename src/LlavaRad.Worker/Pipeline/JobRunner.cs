using System.Diagnostics;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// Claims jobs and runs them through the pipeline, <see cref="PipelineOptions.Concurrency"/> at a time. A running
/// job's lease is renewed by a heartbeat; if it is lost, the attempt stops. Outcomes: drafted -> succeeded; a final
/// coded reason -> rejected; a transient one -> retried with backoff, then dead-lettered. A worker killed mid-job
/// leaves its lease to expire, and the next claim re-runs the job; the idempotent write-back keeps one draft.
/// </summary>
public sealed class JobRunner(
    IJobStore store,
    IStudyPipeline pipeline,
    KillSwitch killSwitch,
    IOptions<PipelineOptions> options,
    IOptions<JobStoreOptions> storeOptions,
    IEnumerable<IJobOutcomeObserver> observers,
    ILogger<JobRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(1, options.Value.Concurrency)
            .Select(slot => Task.Run(() => LoopAsync($"{options.Value.WorkerId}/{slot}", stoppingToken), stoppingToken)));

    private async Task LoopAsync(string leaseOwner, CancellationToken stoppingToken)
    {
        var killSwitchLogged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (killSwitch.Engaged)
                {
                    if (!killSwitchLogged) JobRunnerLog.KillSwitch(logger, JobRunnerLog.KillSwitchEngaged, leaseOwner);
                    killSwitchLogged = true;
                    await Task.Delay(options.Value.IdlePollInterval, stoppingToken);
                    continue;
                }
                killSwitchLogged = false;
                var job = await store.ClaimNextAsync(leaseOwner, stoppingToken);
                if (job is null)
                {
                    await Task.Delay(options.Value.IdlePollInterval, stoppingToken);
                    continue;
                }
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The job store itself failed (database down): wait and try again; leases keep the jobs safe.
                JobRunnerLog.StoreUnavailable(logger, JobRunnerLog.JobStoreUnavailable, e.GetType().Name);
                await Task.Delay(options.Value.IdlePollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunAsync(Job job, CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        // One span per attempt, parent of the stage spans and of the gRPC and FHIR calls; tags carry no patient data.
        using var span = Telemetry.WorkerActivity.Source.StartActivity("job");
        span?.SetTag("llavarad.job.id", job.Id);
        span?.SetTag("llavarad.job.priority", Telemetry.WorkerMetrics.PriorityTag(job.Priority));
        var attempt = await AttemptAsync(job, stoppingToken);
        if (attempt is null) return; // the lease was lost: another worker owns the job now
        var code = attempt.Draft is not null ? PipelineReasons.Drafted : attempt.Failure!.Code;
        span?.SetTag("llavarad.job.outcome", code);
        JobState state;
        try
        {
            state = attempt.Failure switch
            {
                null => await FinishAsync(store.SucceedAsync(job, CancellationToken.None), JobState.Succeeded),
                { Transient: false } final => await FinishAsync(store.RejectAsync(job, final.LastError, CancellationToken.None), JobState.Rejected),
                var transient => await store.FailAsync(job, transient.LastError, CancellationToken.None),
            };
        }
        catch (LeaseLostException)
        {
            JobRunnerLog.FinishedElsewhere(logger, JobRunnerLog.LeaseLost, job.Id);
            return;
        }

        JobRunnerLog.AttemptFinished(logger, job.Id, job.Attempts, code, state.ToText(), clock.ElapsedMilliseconds);
        var outcome = new JobOutcome(job, code, state, attempt.Draft, clock.Elapsed);
        foreach (var observer in observers) observer.OnAttemptFinished(outcome);
    }

    /// <summary>How one attempt ended: the draft, or the outcome of the stage that could not go on.</summary>
    private sealed record Attempt(StudyDraft? Draft, Outcome? Failure);

    /// <summary>Runs the pipeline under a heartbeat. Null when the lease was lost mid-way.</summary>
    private async Task<Attempt?> AttemptAsync(Job job, CancellationToken stoppingToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(job, attempt);
        try
        {
            return new Attempt(await pipeline.RunAsync(job, attempt.Token), null);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever the interrupted stage threw (a cancellation, or a call cut off and reported as its
            // own failure), the attempt did not finish, so it neither counts nor waits out its lease.
            await ReleaseAsync(job);
            throw new OperationCanceledException(stoppingToken);
        }
        catch (StudyPipelineException e)
        {
            return new Attempt(null, e.Outcome);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            JobRunnerLog.TakenOver(logger, JobRunnerLog.LeaseLost, job.Id);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            JobRunnerLog.Unexpected(logger, PipelineReasons.Unexpected, job.Id, e.GetType().Name);
            return new Attempt(null, FailureOutcomes.Unexpected(e));
        }
        finally
        {
            await attempt.CancelAsync();
            await heartbeat;
        }
    }

    private async Task ReleaseAsync(Job job)
    {
        try
        {
            await store.ReleaseAsync(job, CancellationToken.None);
            JobRunnerLog.Released(logger, JobRunnerLog.Stopping, job.Id);
        }
        catch (Exception e)
        {
            JobRunnerLog.ReleaseFailed(logger, JobRunnerLog.Stopping, job.Id, e.GetType().Name);
        }
    }

    private static async Task<JobState> FinishAsync(Task finish, JobState state)
    {
        await finish;
        return state;
    }

    private async Task HeartbeatAsync(Job job, CancellationTokenSource attempt)
    {
        var interval = options.Value.HeartbeatInterval > TimeSpan.Zero ? options.Value.HeartbeatInterval : storeOptions.Value.Lease / 3;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(attempt.Token))
            {
                try
                {
                    await store.HeartbeatAsync(job, attempt.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException and not LeaseLostException)
                {
                    // A missed heartbeat is not fatal: the lease is several intervals long, so keep beating.
                    JobRunnerLog.Heartbeat(logger, JobRunnerLog.HeartbeatFailed, job.Id, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (LeaseLostException)
        {
            await attempt.CancelAsync();
        }
    }
}
