using LlavaRad.Imaging.Part10;

namespace LlavaRad.Imaging.Sr;

/// <summary>SR content items (PS3.3 C.17.3) as data set items: a relationship, a value type, a concept name, a value.</summary>
internal static class SrContent
{
    public static DicomWriteDataset Code(SrCode code) => new DicomWriteDataset()
        .Add(DicomTag.CodeValue, "SH", code.Value)
        .Add(DicomTag.CodingSchemeDesignator, "SH", code.Scheme)
        .Add(SrTags.CodeMeaning, "LO", code.Meaning);

    public static DicomWriteDataset Container(string relationship, SrCode name, params DicomWriteDataset[] children) =>
        Item(relationship, "CONTAINER", name)
            .Add(SrTags.ContinuityOfContent, "CS", "SEPARATE")
            .AddSequence(SrTags.ContentSequence, children);

    public static DicomWriteDataset Text(string relationship, SrCode name, string text) =>
        Item(relationship, "TEXT", name).Add(SrTags.TextValue, "UT", text);

    public static DicomWriteDataset CodeValue(string relationship, SrCode name, SrCode value) =>
        Item(relationship, "CODE", name).AddSequence(SrTags.ConceptCodeSequence, Code(value));

    public static DicomWriteDataset UidRef(string relationship, SrCode name, string uid) =>
        Item(relationship, "UIDREF", name).Add(SrTags.Uid, "UI", uid);

    /// <summary>An IMAGE item has no concept name in TID 2002's INFERRED FROM row.</summary>
    public static DicomWriteDataset Image(string relationship, SourceImage image) => new DicomWriteDataset()
        .Add(SrTags.RelationshipType, "CS", relationship)
        .Add(SrTags.ValueType, "CS", "IMAGE")
        .AddSequence(DicomTag.ReferencedSopSequence, SopReference(image.SopClassUid, image.SopInstanceUid));

    public static DicomWriteDataset SopReference(string sopClassUid, string sopInstanceUid) => new DicomWriteDataset()
        .Add(SrTags.ReferencedSopClassUid, "UI", sopClassUid)
        .Add(DicomTag.ReferencedSopInstanceUid, "UI", sopInstanceUid);

    /// <summary>A Hierarchical SOP Instance Reference Macro item (PS3.3 C.17.2.1): study, one series, one instance.</summary>
    public static DicomWriteDataset Evidence(string studyUid, string seriesUid, string sopClassUid, string sopInstanceUid) =>
        new DicomWriteDataset()
            .Add(DicomTag.StudyInstanceUid, "UI", studyUid)
            .AddSequence(SrTags.ReferencedSeriesSequence, new DicomWriteDataset()
                .Add(DicomTag.SeriesInstanceUid, "UI", seriesUid)
                .AddSequence(DicomTag.ReferencedSopSequence, SopReference(sopClassUid, sopInstanceUid)));

    private static DicomWriteDataset Item(string relationship, string valueType, SrCode name) => new DicomWriteDataset()
        .Add(SrTags.RelationshipType, "CS", relationship)
        .Add(SrTags.ValueType, "CS", valueType)
        .AddSequence(SrTags.ConceptNameCodeSequence, Code(name));
}
