namespace LlavaRad.Imaging.Selection;

/// <summary>Why no image of a study was chosen: coded reasons a clinician or operator can act on.</summary>
public static class SelectionReasons
{
    public const string Frontal = "frontal";
    public const string NoImages = "no-images";
    public const string UnsupportedModality = "unsupported-modality";
    public const string NotChest = "not-chest";
    public const string NoFrontalView = "no-frontal-view";
}
