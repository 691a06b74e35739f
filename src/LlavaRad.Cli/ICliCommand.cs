namespace LlavaRad.Cli;

/// <summary>One `llavarad VERB`. Every implementation in this assembly is found by <see cref="CliApp"/>.</summary>
public interface ICliCommand
{
    /// <summary>The verb, e.g. "demo".</summary>
    string Name { get; }

    /// <summary>One help line: the options, then what it does.</summary>
    string Usage { get; }

    /// <summary>Exit code: <see cref="CliApp.Ok"/>, or throw UsageException / CommandFailedException.</summary>
    Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken);
}
