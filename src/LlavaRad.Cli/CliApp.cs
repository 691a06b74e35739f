using System.CommandLine;
using System.CommandLine.Invocation;

namespace LlavaRad.Cli;

/// <summary>`llavarad VERB [options]`, parsed by System.CommandLine: help, typo suggestions and completion come from it.</summary>
public static class CliApp
{
    public const int Ok = 0, Failed = 1, Usage = 2, Cancelled = 130;

    public const string ExitCodesHelp =
        "Exit codes: 0 done; 1 the work failed (the message names the input and the coded reason); "
        + "2 bad usage (unknown verb or option, missing or invalid value); 130 cancelled by Ctrl+C.";

    /// <summary>How long a verb may take to stop cleanly after Ctrl+C or SIGTERM before the process exits anyway.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Every <see cref="ICliCommand"/> in this assembly.</summary>
    private static readonly IReadOnlyList<ICliCommand> Verbs = typeof(CliApp).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
        .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
        .ToList();

    public static RootCommand CreateRoot(CliConsole console)
    {
        var root = new RootCommand("llavarad: preliminary chest X-ray findings with LLaVA-Rad (unreviewed AI drafts).\n" + ExitCodesHelp);
        foreach (var verb in Verbs.Select(v => v.Create(console)).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            verb.Description += "\n" + ExitCodesHelp;
            root.Subcommands.Add(verb);
        }
        return root;
    }

    /// <summary>In-process (tests): the given writers, no stdin, no signal handlers.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliConsole(TextReader.Null, stdout, stderr), handleSignals: false, cancellationToken);

    /// <summary>
    /// Parses and runs. Parse errors (unknown verb or option, with the close match suggested; a missing or invalid
    /// value) go to stderr and exit 2. With <paramref name="handleSignals"/>, Ctrl+C and SIGTERM cancel the verb's token.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, bool handleSignals, CancellationToken cancellationToken = default)
    {
        var parse = CreateRoot(console).Parse(args);
        var failed = parse.Errors.Count > 0;
        if (parse.Action is ParseErrorAction errorAction) errorAction.ShowHelp = false; // the error and the suggestion, not a page of help
        var configuration = new InvocationConfiguration
        {
            Output = failed ? console.Err : console.Out, // typo suggestions are written to Output
            Error = console.Err,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleSignals ? StopGrace : null,
        };
        var exit = await parse.InvokeAsync(configuration, cancellationToken);
        if (failed) await console.Err.WriteLineAsync($"run `llavarad {VerbOf(parse)}--help` for the options");
        return failed ? Usage : exit;
    }

    private static string VerbOf(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
}
