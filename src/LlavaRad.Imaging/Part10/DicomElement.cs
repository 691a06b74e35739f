namespace LlavaRad.Imaging.Part10;

/// <summary>
/// One attribute as read from a Part 10 file. <see cref="Value"/> is a slice of the file (no copy);
/// a sequence has <see cref="Items"/>, encapsulated pixel data has <see cref="Fragments"/>.
/// </summary>
public sealed record DicomElement(
    uint Tag,
    string Vr,
    ReadOnlyMemory<byte> Value,
    IReadOnlyList<DicomDataset>? Items = null,
    IReadOnlyList<ReadOnlyMemory<byte>>? Fragments = null);
