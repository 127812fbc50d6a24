namespace Earworm.Catalog;

/// <summary>
/// Files a scan finds under a path no track has that are tracks it no longer finds under their own (moved, renamed, or
/// back where they were): the same size, modification time and bytes (SHA-256) as a track that is gone. Such a track
/// takes the new path and keeps its id, and with it its analysis, vectors, tags and listening, instead of a new track
/// beside the old one marked missing. Only files whose size and time match a gone track are read.
/// </summary>
public static class MoveDetector
{
    /// <param name="added">files no track has the path of.</param>
    /// <param name="gone">tracks not found at their paths (missing already, or vanished from a folder scanned now).</param>
    /// <param name="hashOf">a file's content hash; null when it cannot be read.</param>
    /// <returns>Each moved file with the track it is (a track at most once; of identical gone tracks, the lowest id).</returns>
    public static IReadOnlyList<(FoundFile File, TrackRecord Track)> Match(IEnumerable<FoundFile> added, IEnumerable<TrackRecord> gone,
        Func<string, string?> hashOf)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(gone);
        ArgumentNullException.ThrowIfNull(hashOf);
        var candidates = gone.Where(t => t.ContentHash is not null)
            .GroupBy(t => (t.SizeBytes, t.MtimeUnixMs))
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.Id).ToList());
        var moves = new List<(FoundFile, TrackRecord)>();
        if (candidates.Count == 0) return moves;
        foreach (var f in added)
        {
            if (!candidates.TryGetValue((f.SizeBytes, f.MtimeUnixMs), out var same) || same.Count == 0) continue;
            if (hashOf(f.Path) is not { } hash) continue;
            var track = same.FirstOrDefault(t => t.ContentHash == hash);
            if (track is null) continue;
            same.Remove(track);
            moves.Add((f, track));
        }
        return moves;
    }

    /// <summary>The tracks a discovery counts as gone: not found at their paths, and missing already or under a folder
    /// scanned now.</summary>
    public static IEnumerable<TrackRecord> Gone(IEnumerable<TrackRecord> known, ISet<string> seen, IReadOnlyList<string> roots) =>
        known.Where(k => !seen.Contains(k.Path) && (k.Status == TrackStatus.Missing || roots.Any(r => ChangeDetector.IsUnder(k.Path, r))));

    /// <summary><see cref="ContentHash.OfFile"/>, or null for a file that cannot be read now.</summary>
    public static string? HashOrNull(string path)
    {
        try
        {
            return ContentHash.OfFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
