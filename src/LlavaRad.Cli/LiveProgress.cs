using Spectre.Console;

namespace LlavaRad.Cli;

/// <summary>
/// Progress of long work (train, import-weights, eval, demo, report). On a terminal a Spectre.Console spinner or
/// bar redraws in place and the finished lines stay above it; otherwise each progress line is written as plain text
/// to stderr, so logs and tests read the same lines.
/// </summary>
public static class LiveProgress
{
    /// <summary>Work that reports free-form lines: a spinner showing the latest one.</summary>
    public static T Run<T>(CliConsole console, string title, Func<Action<string>, T> work)
    {
        if (!console.Terminal) return work(line => { lock (console.Err) console.Err.WriteLine(line); });
        var terminal = Terminal(console.Err);
        return terminal.Status().Spinner(Spinner.Known.Dots).Start(Markup.Escape(title), context => work(line =>
        {
            terminal.MarkupLine(Markup.Escape(line));
            context.Status(Markup.Escape($"{title}: {line}"));
        }));
    }

    /// <summary>
    /// Work with a known number of steps: a bar on a terminal. <paramref name="work"/> calls Step once per finished
    /// step and Note for anything else worth a line; off a terminal the lines go to stdout (the demo's table follows them).
    /// </summary>
    public static async Task<T> CountAsync<T>(CliConsole console, string title, int total, Func<ProgressLines, Task<T>> work)
    {
        if (!console.Terminal)
        {
            void Plain(string line) { lock (console.Out) console.Out.WriteLine(line); }
            return await work(new ProgressLines(Plain, Plain));
        }
        var terminal = Terminal(console.Out);
        return await terminal.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, total));
                return await work(new ProgressLines(
                    Step: line => { terminal.MarkupLine(Markup.Escape(line)); task.Increment(1); },
                    Note: line => terminal.MarkupLine(Markup.Escape(line))));
            });
    }

    private static IAnsiConsole Terminal(TextWriter writer) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.Yes });
}

/// <summary>Where a counted piece of work reports: a finished step, or a line that is not a step (e.g. a retry).</summary>
public sealed record ProgressLines(Action<string> Step, Action<string> Note);
