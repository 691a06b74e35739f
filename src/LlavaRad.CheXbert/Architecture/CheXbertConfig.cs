namespace LlavaRad.CheXbert.Architecture;

/// <summary>
/// The sizes of a CheXbert checkpoint. chexbert.pth holds no config, so they are read off the tensors: vocabulary,
/// hidden and position sizes from the embeddings, the layer count from the key indices, the heads as hidden / 64
/// (bert-base's head size).
/// </summary>
public sealed record CheXbertConfig(int VocabSize, int HiddenSize, int MaxPositions, int TokenTypes, int Layers, int IntermediateSize)
{
    public const int HeadSize = 64;
    public const double LayerNormEps = 1e-12;

    /// <summary>13 heads of 4 classes (blank, positive, negative, uncertain) and "No Finding" with 2.</summary>
    public static IReadOnlyList<int> HeadClasses { get; } = [.. Enumerable.Repeat(4, 13), 2];

    public int Heads => HiddenSize / HeadSize;
}
