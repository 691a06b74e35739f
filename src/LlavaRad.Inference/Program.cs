using LlavaRad.Inference;
using LlavaRad.Model;

TorchProcessSettings.ApplyBeforeTorchLoads(); // before anything touches libtorch

// `--check-torch`: load libtorch, run one operation and exit; a deployment smoke test that needs no model.
if (args is ["--check-torch"])
{
    Console.WriteLine(TorchDevice.CheckRuntime());
    return;
}

InferenceNode.Build(args).Run();
