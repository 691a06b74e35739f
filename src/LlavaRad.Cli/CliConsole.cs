namespace LlavaRad.Cli;

/// <summary>
/// The streams a verb reads and writes: the process's console, or a test's readers and writers. <see cref="Terminal"/>
/// is true only when both stdout and stderr are a terminal: then long work shows live progress instead of lines.
/// </summary>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Err, bool Terminal = false)
{
    public static CliConsole Process => new(Console.In, Console.Out, Console.Error, !Console.IsOutputRedirected && !Console.IsErrorRedirected);
}
