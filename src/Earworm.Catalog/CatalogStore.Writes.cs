using System.Text.Json;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;

namespace Earworm.Catalog;

/// <summary>What discovery did to the catalog: how many files in each case.</summary>
public sealed record DiscoveryOutcome(int Added, int Changed, int Unchanged, int Resumed, int Restored, int Missing)
{
    /// <summary>Tracks found under a new path (moved or renamed, <see cref="MoveDetector"/>): they keep their id and are
    /// looked at again where they are now (their content is the same, so not decoded again).</summary>
    public int Moved { get; init; }

    public int ToAnalyse => Added + Changed + Resumed + Moved;
}

/// <summary>The result of analysing one file, as the catalog stores it.</summary>
public sealed record AnalysedTrack(
    long SizeBytes, long MtimeUnixMs, string ContentHash, MediaInfo Media, double DecodedSeconds,
    int ExcerptCount, int ExcerptFrames, string? Warnings)
{
    /// <summary>Which of the media's title, artist and album were guessed from the path (<see cref="Scanning.TagGuess"/>).</summary>
    public Scanning.GuessedTags Guessed { get; init; }
}

public sealed partial class CatalogStore
{
    /// <summary>
    /// Records what a scan found under <paramref name="roots"/> in one transaction: new files are added
    /// as pending, changed ones set back to pending, returning ones restored, and tracks under the roots
    /// that were not found marked missing. Tracks outside the roots are left alone.
    /// </summary>
    /// <param name="descriptorVersion">the descriptor version the scan computes (tracks with another are redone); null for none.</param>
    public DiscoveryOutcome RecordDiscovered(IReadOnlyCollection<FoundFile> found, IReadOnlyList<string> roots, bool retryFailed,
        int? descriptorVersion = null)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(roots);
        var known = ListTracks().ToDictionary(t => t.Path, StringComparer.Ordinal);
        int added = 0, changed = 0, unchanged = 0, resumed = 0, restored = 0, missing = 0;
        var now = Now();
        using var tx = _db.BeginTransaction();
        using var insert = Command(
            "INSERT INTO tracks (path, size_bytes, mtime_unix_ms, status, discovered_at, updated_at) VALUES ($p, $s, $m, 'pending', $now, $now)", tx);
        using var toPending = Command(
            "UPDATE tracks SET size_bytes = $s, mtime_unix_ms = $m, status = 'pending', failure = NULL, updated_at = $now WHERE id = $id", tx);
        using var restore = Command("UPDATE tracks SET status = 'analysed', updated_at = $now WHERE id = $id", tx);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var adds = new List<FoundFile>();
        foreach (var f in found)
        {
            if (!seen.Add(f.Path)) continue;
            known.TryGetValue(f.Path, out var k);
            switch (ChangeDetector.Classify(k, f, AnalysisVersion, descriptorVersion, retryFailed))
            {
                case ScanAction.Add:
                    adds.Add(f);
                    break;
                case ScanAction.Reanalyse:
                    Run(toPending, ("$s", f.SizeBytes), ("$m", f.MtimeUnixMs), ("$now", now), ("$id", k!.Id));
                    changed++;
                    break;
                case ScanAction.Resume: resumed++; break;
                case ScanAction.Restore:
                    Run(restore, ("$now", now), ("$id", k!.Id));
                    restored++;
                    break;
                default: unchanged++; break;
            }
        }
        var moves = MoveDetector.Match(adds, MoveDetector.Gone(known.Values, seen, roots), MoveDetector.HashOrNull);
        var movedFiles = moves.Select(m => m.File.Path).ToHashSet(StringComparer.Ordinal);
        var movedTracks = moves.Select(m => m.Track.Id).ToHashSet();
        using var move = Command(
            "UPDATE tracks SET path = $p, size_bytes = $s, mtime_unix_ms = $m, status = 'pending', updated_at = $now WHERE id = $id", tx);
        foreach (var (f, t) in moves) Run(move, ("$p", f.Path), ("$s", f.SizeBytes), ("$m", f.MtimeUnixMs), ("$now", now), ("$id", t.Id));
        foreach (var f in adds.Where(f => !movedFiles.Contains(f.Path)))
        {
            Run(insert, ("$p", f.Path), ("$s", f.SizeBytes), ("$m", f.MtimeUnixMs), ("$now", now));
            added++;
        }
        using var markMissing = Command("UPDATE tracks SET status = 'missing', updated_at = $now WHERE id = $id", tx);
        foreach (var k in known.Values)
        {
            if (k.Status == TrackStatus.Missing || seen.Contains(k.Path) || movedTracks.Contains(k.Id)) continue;
            if (!roots.Any(r => ChangeDetector.IsUnder(k.Path, r))) continue;
            Run(markMissing, ("$now", now), ("$id", k.Id));
            missing++;
        }
        tx.Commit();
        return new DiscoveryOutcome(added, changed, unchanged, resumed, restored, missing) { Moved = moves.Count };
    }

    /// <summary>The pending tracks among <paramref name="paths"/> (what a scan found), ordered by path. A file
    /// reached through a symlink lives outside the roots, so membership, not a path prefix, decides.</summary>
    public IReadOnlyList<TrackRecord> PendingAmong(IReadOnlyCollection<string> paths)
    {
        var set = paths as ISet<string> ?? new HashSet<string>(paths, StringComparer.Ordinal);
        return ListTracks(TrackStatus.Pending).Where(t => set.Contains(t.Path)).ToList();
    }

    /// <summary>Stores a finished analysis (and its descriptors, when computed) in one transaction; the track becomes analysed.</summary>
    public void SaveAnalysed(long id, AnalysedTrack a, TrackDescriptors? descriptors = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        var m = a.Media;
        using var tx = _db.BeginTransaction();
        using var cmd = Command("""
            UPDATE tracks SET size_bytes = $size, mtime_unix_ms = $mtime, content_hash = $hash, status = 'analysed',
                failure = NULL, warnings = $warn, container = $container, codec = $codec, duration_s = $dur,
                source_rate_hz = $rate, source_channels = $ch, bit_rate = $br, title = $title, artist = $artist,
                album = $album, album_artist = $aa, genre = $genre, track_number = $tn, year = $year, tags_json = $tags,
                guessed_tags = $guessed, has_picture = $pic, file_tags_read = 1, excerpt_count = $ec, excerpt_frames = $ef, analysis_version = $v, analysed_at = $now, updated_at = $now
            WHERE id = $id
            """, tx);
        Run(cmd, ("$size", a.SizeBytes), ("$mtime", a.MtimeUnixMs), ("$hash", a.ContentHash), ("$warn", a.Warnings),
            ("$container", m.Container), ("$codec", m.Codec), ("$dur", a.DecodedSeconds), ("$rate", m.SampleRateHz),
            ("$ch", m.Channels), ("$br", m.BitRate), ("$title", m.Title), ("$artist", m.Artist), ("$album", m.Album),
            ("$aa", m.AlbumArtist), ("$genre", m.Genre), ("$tn", m.TrackNumber), ("$year", m.Year),
            ("$tags", JsonSerializer.Serialize(m.Tags)), ("$guessed", (int)a.Guessed), ("$pic", m.HasPicture ? 1 : 0), ("$ec", a.ExcerptCount), ("$ef", a.ExcerptFrames),
            ("$v", AnalysisVersion), ("$now", Now()), ("$id", id));
        WriteFileTags(id, m.Tags, tx);
        if (descriptors is not null) WriteDescriptors(id, descriptors, tx);
        tx.Commit();
    }

    /// <summary>Records that a file could not be analysed, and why; the scan goes on.</summary>
    public void SaveFailed(long id, long sizeBytes, long mtimeUnixMs, string? contentHash, string reason, MediaInfo? media = null)
    {
        using var cmd = Command("""
            UPDATE tracks SET size_bytes = $size, mtime_unix_ms = $mtime, content_hash = $hash, status = 'failed',
                failure = $reason, container = COALESCE($container, container), codec = $codec,
                analysis_version = $v, updated_at = $now
            WHERE id = $id
            """);
        Run(cmd, ("$size", sizeBytes), ("$mtime", mtimeUnixMs), ("$hash", contentHash), ("$reason", reason),
            ("$container", media?.Container), ("$codec", media?.Codec), ("$v", AnalysisVersion), ("$now", Now()), ("$id", id));
    }

    /// <summary>The file's time changed but its content did not (a touch): keep the analysis.</summary>
    public void SaveUnchangedContent(long id, long sizeBytes, long mtimeUnixMs)
    {
        using var cmd = Command("UPDATE tracks SET size_bytes = $s, mtime_unix_ms = $m, status = 'analysed', updated_at = $now WHERE id = $id");
        Run(cmd, ("$s", sizeBytes), ("$m", mtimeUnixMs), ("$now", Now()), ("$id", id));
    }

    /// <summary>The file vanished between discovery and analysis.</summary>
    public void MarkMissing(long id)
    {
        using var cmd = Command("UPDATE tracks SET status = 'missing', updated_at = $now WHERE id = $id");
        Run(cmd, ("$now", Now()), ("$id", id));
    }

    /// <summary>Another analysed track with this content (a copy elsewhere), if any.</summary>
    public TrackRecord? FindAnalysedByHash(string contentHash) =>
        Query("WHERE content_hash = $h AND status IN ('analysed', 'missing') AND analysis_version = $v AND analysed_at IS NOT NULL LIMIT 1",
            ("$h", contentHash), ("$v", AnalysisVersion)).FirstOrDefault();

    private static void Run(Microsoft.Data.Sqlite.SqliteCommand cmd, params (string Name, object? Value)[] args)
    {
        foreach (var (n, v) in args)
        {
            if (cmd.Parameters.Contains(n)) cmd.Parameters[n].Value = Db(v);
            else cmd.Parameters.AddWithValue(n, Db(v));
        }
        cmd.ExecuteNonQuery();
    }
}
