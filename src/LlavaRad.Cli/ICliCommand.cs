using System.CommandLine;

namespace LlavaRad.Cli;

/// <summary>One `llavarad VERB`. Every implementation in this assembly is found by <see cref="CliApp"/>.</summary>
public interface ICliCommand
{
    /// <summary>
    /// The verb with its options, arguments and action (<see cref="VerbAction.Set"/>). The action returns an exit code
    /// or throws <see cref="UsageException"/> / <see cref="CommandFailedException"/>.
    /// </summary>
    Command Create(CliConsole console);
}
