namespace LlavaRad.Cli;

/// <summary>Dispatches `llavarad VERB [options]`. Exit codes: 0 ok, 1 the work failed, 2 bad usage.</summary>
public static class CliApp
{
    public const int Ok = 0, Failed = 1, Usage = 2;

    private const string Help = """
        llavarad: preliminary chest X-ray findings with LLaVA-Rad (unreviewed AI drafts).

        Verbs:
          demo [--studies DIR] [--out DIR]   run the embedded default over the sample studies
          model-info --node URL              ask an inference node which model it serves
          help                               this text
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            await stdout.WriteLineAsync(Help);
            return args.Length == 0 ? Usage : Ok;
        }
        try
        {
            var options = CommandOptions.Parse(args.Skip(1));
            return args[0] switch
            {
                "demo" => await DemoCommand.RunAsync(options, stdout, cancellationToken),
                "model-info" => await ModelInfoCommand.RunAsync(options, stdout, cancellationToken),
                _ => throw new UsageException($"unknown verb \"{args[0]}\"; run `llavarad help`"),
            };
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
}

public sealed class UsageException(string message) : Exception(message);

/// <summary>The command ran but could not do its work; the message says what and with which input.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
