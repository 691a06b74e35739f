using System.Reflection;

namespace LlavaRad.Cli;

/// <summary>Dispatches `llavarad VERB [options]`. Exit codes: 0 ok, 1 the work failed, 2 bad usage.</summary>
public static class CliApp
{
    public const int Ok = 0, Failed = 1, Usage = 2;

    /// <summary>Every <see cref="ICliCommand"/> in this assembly, by verb.</summary>
    public static readonly IReadOnlyDictionary<string, ICliCommand> Commands = typeof(CliApp).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
        .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
        .ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            await stdout.WriteLineAsync(HelpText());
            return args.Length == 0 ? Usage : Ok;
        }
        try
        {
            if (!Commands.TryGetValue(args[0], out var command))
                throw new UsageException($"unknown verb \"{args[0]}\"; run `llavarad help`");
            return await command.RunAsync(args[1..], stdout, stderr, cancellationToken);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"llavarad: {e.Message}");
            return Usage;
        }
        catch (CommandFailedException e)
        {
            await stderr.WriteLineAsync($"llavarad {args[0]}: {e.Message}");
            return Failed;
        }
    }

    private static string HelpText() =>
        "llavarad: preliminary chest X-ray findings with LLaVA-Rad (unreviewed AI drafts).\n\nVerbs:\n"
        + string.Concat(Commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  {c.Name} {c.Usage}\n"))
        + "  help  this text";
}

public sealed class UsageException(string message) : Exception(message);

/// <summary>The command ran but could not do its work; the message says what and with which input.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
