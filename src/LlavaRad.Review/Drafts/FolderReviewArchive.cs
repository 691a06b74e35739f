using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlavaRad.Review.Drafts;

/// <summary>
/// The archive as one folder per draft (entry.json + frontal.png) under a root, written to a temporary name and
/// renamed so readers never see half a file. State changes are serialised within the process; ids are checked to
/// be the hex ids this app mints, so a URL cannot name a path outside the root.
/// </summary>
public sealed class FolderReviewArchive(string root) : IReviewArchive
{
    private const string EntryFile = "entry.json";
    private const string FrontalFile = "frontal.png";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly SemaphoreSlim _writes = new(1, 1);

    public string Root { get; } = Path.GetFullPath(root);

    public async Task AddAsync(ReviewEntry entry, byte[] frontalPng, CancellationToken cancellationToken = default)
    {
        var folder = FolderOf(entry.Id) ?? throw new ArgumentException("review ids are 24 lowercase hex digits", nameof(entry));
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path.Combine(folder, EntryFile))) return;
            Directory.CreateDirectory(folder);
            await WriteAtomicAsync(Path.Combine(folder, FrontalFile), frontalPng, cancellationToken);
            await WriteAtomicAsync(Path.Combine(folder, EntryFile), JsonSerializer.SerializeToUtf8Bytes(entry, Json), cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<IReadOnlyList<ReviewEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root)) return [];
        var entries = new List<ReviewEntry>();
        foreach (var folder in Directory.EnumerateDirectories(Root))
            if (await ReadAsync(Path.Combine(folder, EntryFile), cancellationToken) is { } entry) entries.Add(entry);
        return entries;
    }

    public async Task<ReviewEntry?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        FolderOf(id) is { } folder ? await ReadAsync(Path.Combine(folder, EntryFile), cancellationToken) : null;

    public async Task<byte[]?> ReadFrontalAsync(string id, CancellationToken cancellationToken = default)
    {
        var path = FolderOf(id) is { } folder ? Path.Combine(folder, FrontalFile) : null;
        return path is not null && File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public async Task<bool> TransitionAsync(string id, ReviewStatus expected, ReviewState next, CancellationToken cancellationToken = default)
    {
        var folder = FolderOf(id);
        if (folder is null) return false;
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var path = Path.Combine(folder, EntryFile);
            if (await ReadAsync(path, cancellationToken) is not { } entry || entry.State.Status != expected) return false;
            await WriteAtomicAsync(path, JsonSerializer.SerializeToUtf8Bytes(entry with { State = next }, Json), cancellationToken);
            return true;
        }
        finally
        {
            _writes.Release();
        }
    }

    private string? FolderOf(string id) =>
        id.Length == 24 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? Path.Combine(Root, id) : null;

    private static async Task<ReviewEntry?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return null;
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ReviewEntry>(stream, Json, cancellationToken);
    }

    private static async Task WriteAtomicAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
