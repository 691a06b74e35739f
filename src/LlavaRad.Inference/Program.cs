using LlavaRad.Inference;

InferenceNode.Build(args).Run();
