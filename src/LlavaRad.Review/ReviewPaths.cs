namespace LlavaRad.Review;

/// <summary>The app's URLs. Studies are keyed by the opaque review id, so request logs carry no UID or name.</summary>
public static class ReviewPaths
{
    public const string Root = "/review";
    public const string Worklist = Root + "/";
    public const string WorklistRows = Root + "/worklist/rows";
    public const string Login = Root + "/login";
    public const string Quality = Root + "/quality";
    public const string QualityPairs = Root + "/quality/pairs.jsonl";

    public static string Study(string id) => $"{Root}/studies/{id}";
    public static string Frontal(string id) => $"{Root}/studies/{id}/frontal.png";
    public static string Heatmap(string id) => $"{Root}/studies/{id}/heatmap.json";
    public static string Sign(string id) => $"{Root}/studies/{id}/sign";
    public static string Reject(string id) => $"{Root}/studies/{id}/reject";
    public static string Static(string file) => $"{Root}/static/{file}";
}
