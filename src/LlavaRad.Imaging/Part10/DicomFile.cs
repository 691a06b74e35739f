namespace LlavaRad.Imaging.Part10;

/// <summary>A parsed Part 10 file: its file meta information, the transfer syntax and the dataset.</summary>
public sealed record DicomFile(DicomDataset Meta, TransferSyntax TransferSyntax, DicomDataset Dataset);
