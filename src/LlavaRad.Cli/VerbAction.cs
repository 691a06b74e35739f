using System.CommandLine;

namespace LlavaRad.Cli;

/// <summary>
/// The one place where a verb's outcome becomes an exit code: a usage error is 2, a failed command 1, and a
/// cancellation (Ctrl+C cancels the token System.CommandLine passes in) 130 once the verb has stopped cleanly.
/// </summary>
public static class VerbAction
{
    public static void Set(Command command, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (UsageException e)
            {
                await console.Err.WriteLineAsync($"llavarad {command.Name}: {e.Message} (see `llavarad {command.Name} --help`)");
                return CliApp.Usage;
            }
            catch (CommandFailedException e) when (!cancellationToken.IsCancellationRequested)
            {
                await console.Err.WriteLineAsync($"llavarad {command.Name}: {e.Message}");
                return CliApp.Failed;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or CommandFailedException)
            {
                await console.Err.WriteLineAsync($"llavarad {command.Name}: cancelled");
                return CliApp.Cancelled;
            }
        });

    /// <summary>For verbs whose work is synchronous.</summary>
    public static void Set(Command command, CliConsole console, Func<ParseResult, CancellationToken, int> action) =>
        Set(command, console, (parse, cancellationToken) => Task.FromResult(action(parse, cancellationToken)));
}
