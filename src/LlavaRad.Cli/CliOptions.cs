using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LlavaRad.Cli;

/// <summary>Option kinds the verbs share, so that a number is checked, and its error worded, the same way everywhere.</summary>
public static class CliOptions
{
    /// <summary>A text option; <paramref name="helpName"/> is the placeholder shown in help, e.g. DIR or URL.</summary>
    public static Option<string> Text(string name, string helpName, string description, bool required = false) =>
        new(name) { HelpName = helpName, Description = description, Required = required };

    /// <summary>A text option with a default that help shows.</summary>
    public static Option<string> Text(string name, string helpName, string description, string fallback) =>
        new(name) { HelpName = helpName, Description = description, DefaultValueFactory = _ => fallback };

    /// <summary>A whole number of at least <paramref name="minimum"/>; anything else is a usage error naming the option.</summary>
    public static Option<int> Whole(string name, string description, int fallback, int minimum = 1) =>
        new(name)
        {
            HelpName = "N",
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = result => ParseWhole(result, name, minimum),
        };

    /// <summary>An optional whole number (null when absent).</summary>
    public static Option<int?> OptionalWhole(string name, string description, int minimum = 0) =>
        new(name) { HelpName = "N", Description = description, CustomParser = result => ParseWhole(result, name, minimum) };

    /// <summary>A number with a decimal point allowed, read in the invariant culture.</summary>
    public static Option<double?> Number(string name, string helpName, string description) =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
                result.AddError($"{name} \"{text}\" is not a number");
                return null;
            },
        };

    /// <summary>`--node URL`: a running inference node; anything but an absolute URL is a usage error.</summary>
    public static Option<Uri> NodeUrl(bool required, string description = "a running inference node (gRPC), e.g. http://127.0.0.1:50051") =>
        new("--node")
        {
            HelpName = "URL",
            Description = description,
            Required = required,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri)) return uri;
                result.AddError($"--node \"{text}\" is not an absolute URL");
                return null;
            },
        };

    /// <summary>A boolean flag: present means true; it takes no value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>One of a fixed set of words (help lists them, completion offers them).</summary>
    public static Option<string> OneOf(string name, string description, string fallback, params string[] values) =>
        new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback }.AcceptOnlyFromAmong(values);

    private static int ParseWhole(ArgumentResult result, string name, int minimum)
    {
        var text = result.Tokens.Single().Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
        result.AddError($"{name} \"{text}\" is not a whole number >= {minimum}");
        return 0;
    }

    /// <summary>Adds the options and arguments to the command and returns it, so a verb reads as one declaration.</summary>
    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else if (symbol is Argument argument) command.Arguments.Add(argument);
        }
        return command;
    }
}
