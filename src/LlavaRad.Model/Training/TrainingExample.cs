namespace LlavaRad.Model.Training;

/// <summary>
/// One image-report pair, ready for the trainer: the image already resized and cropped to the model's input size
/// (one 8-bit plane, S*S), the prompt ids with their one -200 image slot, the target ids (findings + EOS) and the
/// image-level labels the vision pre-training stage classifies (1 = present).
/// </summary>
public sealed record TrainingExample(byte[] Image, long[] PromptIds, long[] TargetIds, float[] ImageLabels);
