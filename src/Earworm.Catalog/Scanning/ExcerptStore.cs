using Earworm.Audio.Excerpts;

namespace Earworm.Catalog.Scanning;

/// <summary>
/// The on-disk excerpt cache: one file per distinct content (keyed by the file's SHA-256, so copies
/// of a track share it), laid out as <c>DIR/ab/abcdef….ewx</c> in <see cref="ExcerptCodec"/>'s format.
/// Writes are atomic (temporary file, then rename): a crash never leaves a half-written excerpt.
/// </summary>
public sealed class ExcerptStore
{
    public ExcerptStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>The cache folder that belongs to a catalog file: <c>catalog.db</c> → <c>catalog.cache/</c>.</summary>
    public static string DefaultFor(string catalogPath) => Path.ChangeExtension(Path.GetFullPath(catalogPath), ".cache");

    public string PathFor(string contentHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentHash);
        if (contentHash.Length < 8 || contentHash.Any(c => !char.IsAsciiHexDigit(c)))
            throw new ArgumentException($"not a content hash: {contentHash}", nameof(contentHash));
        return Path.Combine(Directory, contentHash[..2], contentHash + ".ewx");
    }

    public bool Contains(string contentHash) => File.Exists(PathFor(contentHash));

    public void Write(string contentHash, ExcerptSet excerpts)
    {
        var path = PathFor(contentHash);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                ExcerptCodec.Write(s, excerpts);
                s.Flush(flushToDisk: false);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The excerpts of a content hash, or null when not cached.</summary>
    /// <exception cref="InvalidDataException">the cached file is corrupt.</exception>
    public ExcerptSet? TryRead(string contentHash)
    {
        var path = PathFor(contentHash);
        if (!File.Exists(path)) return null;
        using var s = File.OpenRead(path);
        return ExcerptCodec.Read(s);
    }

    /// <summary>Bytes the cache takes on disk (0 when it does not exist yet).</summary>
    public long SizeBytes() =>
        System.IO.Directory.Exists(Directory)
            ? new DirectoryInfo(Directory).EnumerateFiles("*.ewx", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;
}
