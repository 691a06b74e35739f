using LlavaRad.Worker;

// Today the worker hosts its job store and the health of its dependencies; sources and the pipeline follow (issue 10).
WorkerHost.Build(args).Run();
