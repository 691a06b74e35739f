namespace LlavaRad.Cli.Tests;

/// <summary>
/// Tests that start the embedded worker and an in-process inference node (demo, report, Ctrl+C) run one after
/// another: several nodes loading models at once on a 2-core machine only make each one slower and flakier.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedWorkerCollection
{
    public const string Name = "embedded worker";
}
