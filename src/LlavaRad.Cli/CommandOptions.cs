namespace LlavaRad.Cli;

/// <summary>"--name value" pairs after the verb.</summary>
public sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static CommandOptions Parse(IEnumerable<string> args)
    {
        var options = new CommandOptions();
        using var items = args.GetEnumerator();
        while (items.MoveNext())
        {
            var name = items.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new UsageException($"expected an option like --name, got \"{name}\"");
            if (!items.MoveNext()) throw new UsageException($"option {name} needs a value");
            options._values[name[2..]] = items.Current;
        }
        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new UsageException($"option --{name} is required");
}
