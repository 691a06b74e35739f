using System.Diagnostics;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;

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
                    if (!killSwitchLogged) logger.LogWarning("kill-switch-engaged: {Owner} claims no new jobs", leaseOwner);
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
                logger.LogError("job-store-unavailable: {Error}", e.GetType().Name);
                await Task.Delay(options.Value.IdlePollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunAsync(Job job, CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(job, attempt);
        string code;
        JobState state;
        StudyDraft? draft = null;
        try
        {
            draft = await pipeline.RunAsync(job, attempt.Token);
            (code, state) = (PipelineReasons.Drafted, JobState.Succeeded);
            await store.SucceedAsync(job, CancellationToken.None);
        }
        catch (StudyPipelineException e) when (!e.Transient)
        {
            (code, state) = (e.Code, JobState.Rejected);
            await store.RejectAsync(job, e.Code, CancellationToken.None);
        }
        catch (StudyPipelineException e)
        {
            code = e.Code;
            state = await store.FailAsync(job, $"{e.Code}: {e.Message}", CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease expires and the job is claimed again; nothing was finished twice.
            throw;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("lease-lost: job {JobId} was taken over; this attempt stops", job.Id);
            return;
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("lease-lost: job {JobId} finished elsewhere; this attempt's result is dropped", job.Id);
            return;
        }
        catch (Exception e)
        {
            code = PipelineReasons.Unexpected;
            logger.LogError("{Code}: job {JobId} failed with {Error}", code, job.Id, e.GetType().Name);
            state = await store.FailAsync(job, $"{code}: {e.GetType().Name}", CancellationToken.None);
        }
        finally
        {
            await attempt.CancelAsync();
            await heartbeat;
        }

        logger.LogInformation("job {JobId} attempt {Attempt}: {Code} -> {State} in {Milliseconds} ms",
            job.Id, job.Attempts, code, state.ToText(), clock.ElapsedMilliseconds);
        var outcome = new JobOutcome(job, code, state, draft, clock.Elapsed);
        foreach (var observer in observers) observer.OnAttemptFinished(outcome);
    }

    private async Task HeartbeatAsync(Job job, CancellationTokenSource attempt)
    {
        var interval = options.Value.HeartbeatInterval > TimeSpan.Zero ? options.Value.HeartbeatInterval : storeOptions.Value.Lease / 3;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(attempt.Token))
                await store.HeartbeatAsync(job, attempt.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (LeaseLostException)
        {
            await attempt.CancelAsync();
        }
        catch (Exception e)
        {
            // A missed heartbeat is not fatal: the lease is several intervals long.
            logger.LogWarning("heartbeat-failed: job {JobId} ({Error})", job.Id, e.GetType().Name);
        }
    }
}
