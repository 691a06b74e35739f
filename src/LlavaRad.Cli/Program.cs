using LlavaRad.Cli;
using LlavaRad.Model;

TorchProcessSettings.ApplyBeforeTorchLoads(); // before any verb touches libtorch
return await CliApp.RunAsync(args, CliConsole.Process, handleSignals: true);
