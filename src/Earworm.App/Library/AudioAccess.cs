using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App.Library;

/// <summary>
/// Which file a track id may be streamed from. Only catalog ids come in (no endpoint takes a path); the track's file
/// is resolved now (symlinks followed to the end) and must lie under a library folder, so a link that points out of
/// the library, or a file swapped for one since the scan, is refused.
/// </summary>
public static class AudioAccess
{
    /// <summary>The canonical file to serve, or why not (null path).</summary>
    public static (string? Path, string? Refusal) Resolve(LibraryView library, long trackId)
    {
        ArgumentNullException.ThrowIfNull(library);
        if (library.Find(trackId) is not { } track) return (null, null);
        var canonical = LibraryWalker.Canonical(track.Path);
        if (canonical is null || !File.Exists(canonical)) return (null, $"track {trackId}'s file is missing from disk");
        var roots = library.Roots.Select(r => LibraryWalker.Canonical(r) ?? r).ToList();
        if (!roots.Any(r => ChangeDetector.IsUnder(canonical, r) || string.Equals(canonical, r, StringComparison.Ordinal)))
            return (null, $"track {trackId}'s file is outside the library folders");
        return (canonical, null);
    }

    /// <summary>The MIME type a browser's audio element expects for a file.</summary>
    public static string ContentType(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp3" => "audio/mpeg",
        ".ogg" or ".oga" => "audio/ogg",
        ".opus" => "audio/ogg; codecs=opus",
        ".flac" => "audio/flac",
        ".wav" => "audio/wav",
        ".m4a" or ".aac" or ".mp4" => "audio/mp4",
        ".webm" or ".weba" => "audio/webm",
        _ => "application/octet-stream",
    };
}
