using LlavaRad.Cli;

return await CliApp.RunAsync(args, CliConsole.Process, handleSignals: true);
