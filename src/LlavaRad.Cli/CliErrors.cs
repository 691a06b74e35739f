namespace LlavaRad.Cli;

/// <summary>The arguments are wrong in a way the parser cannot see (e.g. a bad value combination); exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The command ran but could not do its work; the message says what and with which input; exit code 1.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
