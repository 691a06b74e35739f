using LlavaRad.Worker;

// The worker: job store, study submitter and folder source, the job runner with the pipeline, write-back and audit.
WorkerHost.Build(args).Run();
