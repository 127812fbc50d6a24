using System.Text.Json;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;
using Npgsql;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    /// <summary>As <see cref="CatalogStore.RecordDiscovered"/>: one transaction, the same rule (<see cref="ChangeDetector"/>).</summary>
    public DiscoveryOutcome RecordDiscovered(IReadOnlyCollection<FoundFile> found, IReadOnlyList<string> roots, bool retryFailed,
        int? descriptorVersion = null)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(roots);
        var known = ListTracks().ToDictionary(t => t.Path, StringComparer.Ordinal);
        int added = 0, changed = 0, unchanged = 0, resumed = 0, restored = 0, missing = 0;
        var now = Now();
        var batch = new NpgsqlBatch(_db);
        void Add(string sql, params (string Name, object? Value)[] args)
        {
            var c = new NpgsqlBatchCommand(sql);
            foreach (var (n, v) in args) c.Parameters.AddWithValue(n, v ?? DBNull.Value);
            batch.BatchCommands.Add(c);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var adds = new List<FoundFile>();
        foreach (var f in found)
        {
            if (!seen.Add(f.Path)) continue;
            known.TryGetValue(f.Path, out var k);
            switch (ChangeDetector.Classify(k, f, CatalogStore.AnalysisVersion, descriptorVersion, retryFailed))
            {
                case ScanAction.Add:
                    adds.Add(f);
                    break;
                case ScanAction.Reanalyse:
                    Add("UPDATE tracks SET size_bytes = @s, mtime_unix_ms = @m, status = 'pending', failure = NULL, updated_at = @now WHERE id = @id",
                        ("s", f.SizeBytes), ("m", f.MtimeUnixMs), ("now", now), ("id", k!.Id));
                    changed++;
                    break;
                case ScanAction.Resume: resumed++; break;
                case ScanAction.Restore:
                    Add("UPDATE tracks SET status = 'analysed', updated_at = @now WHERE id = @id", ("now", now), ("id", k!.Id));
                    restored++;
                    break;
                default: unchanged++; break;
            }
        }
        var moves = MoveDetector.Match(adds, MoveDetector.Gone(known.Values, seen, roots), MoveDetector.HashOrNull);
        var movedFiles = moves.Select(m => m.File.Path).ToHashSet(StringComparer.Ordinal);
        var movedTracks = moves.Select(m => m.Track.Id).ToHashSet();
        foreach (var (f, t) in moves)
            Add("UPDATE tracks SET path = @p, size_bytes = @s, mtime_unix_ms = @m, status = 'pending', updated_at = @now WHERE id = @id",
                ("p", f.Path), ("s", f.SizeBytes), ("m", f.MtimeUnixMs), ("now", now), ("id", t.Id));
        foreach (var f in adds.Where(f => !movedFiles.Contains(f.Path)))
        {
            Add("INSERT INTO tracks (path, size_bytes, mtime_unix_ms, status, discovered_at, updated_at) VALUES (@p, @s, @m, 'pending', @now, @now)",
                ("p", f.Path), ("s", f.SizeBytes), ("m", f.MtimeUnixMs), ("now", now));
            added++;
        }
        foreach (var k in known.Values)
        {
            if (k.Status == TrackStatus.Missing || seen.Contains(k.Path) || movedTracks.Contains(k.Id)) continue;
            if (!roots.Any(r => ChangeDetector.IsUnder(k.Path, r))) continue;
            Add("UPDATE tracks SET status = 'missing', updated_at = @now WHERE id = @id", ("now", now), ("id", k.Id));
            missing++;
        }
        using (batch)
        {
            if (batch.BatchCommands.Count > 0)
            {
                using var tx = _db.BeginTransaction();
                batch.Transaction = tx;
                batch.ExecuteNonQuery();
                tx.Commit();
            }
        }
        return new DiscoveryOutcome(added, changed, unchanged, resumed, restored, missing) { Moved = moves.Count };
    }

    public IReadOnlyList<TrackRecord> PendingAmong(IReadOnlyCollection<string> paths)
    {
        var set = paths as ISet<string> ?? new HashSet<string>(paths, StringComparer.Ordinal);
        return ListTracks(TrackStatus.Pending).Where(t => set.Contains(t.Path)).ToList();
    }

    public void SaveAnalysed(long id, AnalysedTrack a, TrackDescriptors? descriptors = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        var m = a.Media;
        using var tx = _db.BeginTransaction();
        Execute("""
            UPDATE tracks SET size_bytes = @size, mtime_unix_ms = @mtime, content_hash = @hash, status = 'analysed',
                failure = NULL, warnings = @warn, container = @container, codec = @codec, duration_s = @dur,
                source_rate_hz = @rate, source_channels = @ch, bit_rate = @br, title = @title, artist = @artist,
                album = @album, album_artist = @aa, genre = @genre, track_number = @tn, year = @year, tags_json = @tags,
                guessed_tags = @guessed, has_picture = @pic, file_tags_read = 1, excerpt_count = @ec, excerpt_frames = @ef, analysis_version = @v,
                analysed_at = @now, updated_at = @now
            WHERE id = @id
            """, ("size", a.SizeBytes), ("mtime", a.MtimeUnixMs), ("hash", a.ContentHash), ("warn", a.Warnings),
            ("container", m.Container), ("codec", m.Codec), ("dur", a.DecodedSeconds), ("rate", m.SampleRateHz),
            ("ch", m.Channels), ("br", m.BitRate), ("title", m.Title), ("artist", m.Artist), ("album", m.Album),
            ("aa", m.AlbumArtist), ("genre", m.Genre), ("tn", m.TrackNumber), ("year", m.Year),
            ("tags", JsonSerializer.Serialize(m.Tags)), ("guessed", (int)a.Guessed), ("pic", m.HasPicture ? 1 : 0),
            ("ec", a.ExcerptCount), ("ef", a.ExcerptFrames), ("v", CatalogStore.AnalysisVersion), ("now", Now()), ("id", id));
        WriteFileTags(id, m.Tags);
        if (descriptors is not null) WriteDescriptors(id, descriptors);
        tx.Commit();
    }

    public void SaveFailed(long id, long sizeBytes, long mtimeUnixMs, string? contentHash, string reason, MediaInfo? media = null) =>
        Execute("""
            UPDATE tracks SET size_bytes = @size, mtime_unix_ms = @mtime, content_hash = @hash, status = 'failed',
                failure = @reason, container = COALESCE(@container, container), codec = @codec,
                analysis_version = @v, updated_at = @now
            WHERE id = @id
            """, ("size", sizeBytes), ("mtime", mtimeUnixMs), ("hash", contentHash), ("reason", reason),
            ("container", media?.Container), ("codec", media?.Codec), ("v", CatalogStore.AnalysisVersion), ("now", Now()), ("id", id));

    public void SaveUnchangedContent(long id, long sizeBytes, long mtimeUnixMs) =>
        Execute("UPDATE tracks SET size_bytes = @s, mtime_unix_ms = @m, status = 'analysed', updated_at = @now WHERE id = @id",
            ("s", sizeBytes), ("m", mtimeUnixMs), ("now", Now()), ("id", id));

    public void MarkMissing(long id) =>
        Execute("UPDATE tracks SET status = 'missing', updated_at = @now WHERE id = @id", ("now", Now()), ("id", id));

    // ---- descriptors -------------------------------------------------------------------------

    public void SaveDescriptors(long trackId, TrackDescriptors descriptors)
    {
        using var tx = _db.BeginTransaction();
        WriteDescriptors(trackId, descriptors);
        tx.Commit();
    }

    private void WriteDescriptors(long trackId, TrackDescriptors d)
    {
        ArgumentNullException.ThrowIfNull(d);
        Execute("""
            INSERT INTO descriptors (track_id, version, is_silent, tempo_bpm, key_name, camelot, loudness_lufs, energy,
                danceability, brightness_hz, json, computed_at)
            VALUES (@id, @v, @silent, @tempo, @key, @camelot, @lufs, @energy, @dance, @bright, @json, @now)
            ON CONFLICT (track_id) DO UPDATE SET version = excluded.version, is_silent = excluded.is_silent,
                tempo_bpm = excluded.tempo_bpm, key_name = excluded.key_name, camelot = excluded.camelot,
                loudness_lufs = excluded.loudness_lufs, energy = excluded.energy, danceability = excluded.danceability,
                brightness_hz = excluded.brightness_hz, json = excluded.json, computed_at = excluded.computed_at
            """, ("id", trackId), ("v", TrackDescriptors.Version), ("silent", d.IsSilent), ("tempo", d.TempoBpm),
            ("key", d.KeyName), ("camelot", d.CamelotCode), ("lufs", d.IntegratedLoudnessLufs), ("energy", d.Energy),
            ("dance", d.Danceability), ("bright", d.SpectralCentroidHz),
            ("json", JsonSerializer.Serialize(d, CatalogStore.DescriptorJson)), ("now", Now()));
    }

    public TrackDescriptors? FindDescriptors(long trackId) =>
        Scalar("SELECT json FROM descriptors WHERE track_id = @id AND version = @v", ("id", trackId), ("v", TrackDescriptors.Version)) is string json
            ? JsonSerializer.Deserialize<TrackDescriptors>(json, CatalogStore.DescriptorJson)
            : null;

    public IReadOnlyDictionary<long, TrackDescriptors> AllDescriptors() =>
        Rows("""
            SELECT d.track_id, d.json FROM descriptors d JOIN tracks t ON t.id = d.track_id
            WHERE d.version = @v AND t.status = 'analysed' ORDER BY d.track_id
            """, r => (r.GetInt64(0), JsonSerializer.Deserialize<TrackDescriptors>(r.GetString(1), CatalogStore.DescriptorJson)!),
            ("v", TrackDescriptors.Version)).ToDictionary(x => x.Item1, x => x.Item2);

    // ---- scans and skipped files --------------------------------------------------------------

    public long StartScan(IReadOnlyList<string> roots) =>
        ScalarLong("INSERT INTO scans (roots, started_at) VALUES (@r, @now) RETURNING id", ("r", roots.ToArray()), ("now", Now()))!.Value;

    public void FinishScan(long scanId, string outcome, int analysed, int failed, int unchanged, int missing, double audioSeconds) =>
        Execute("""
            UPDATE scans SET finished_at = @now, outcome = @o, analysed = @a, failed = @f, unchanged = @u,
                missing = @m, audio_seconds = @s WHERE id = @id
            """, ("now", Now()), ("o", outcome), ("a", analysed), ("f", failed), ("u", unchanged), ("m", missing), ("s", audioSeconds), ("id", scanId));

    public ScanRecord? LastScan() => Rows(
        "SELECT id, roots, started_at, finished_at, outcome, analysed, failed, unchanged, missing, audio_seconds FROM scans ORDER BY id DESC LIMIT 1",
        r => new ScanRecord(r.GetInt64(0), r.GetFieldValue<string[]>(1), Time(r, 2), MaybeTime(r, 3), Text(r, 4),
            r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetDouble(9))).FirstOrDefault();

    public IReadOnlyList<string> ScannedRoots()
    {
        var roots = new List<string>();
        foreach (var scan in Rows("SELECT roots FROM scans ORDER BY id", r => r.GetFieldValue<string[]>(0)))
            foreach (var root in scan)
                if (!roots.Contains(root, StringComparer.Ordinal)) roots.Add(root);
        return roots;
    }

    public void RecordSkipped(IReadOnlyCollection<SkippedFile> skipped, IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(roots);
        var now = Now();
        using var tx = _db.BeginTransaction();
        var stale = Rows("SELECT path FROM skipped_files", r => r.GetString(0))
            .Where(p => roots.Any(root => ChangeDetector.IsUnder(p, root))).ToArray();
        if (stale.Length > 0) Execute("DELETE FROM skipped_files WHERE path = ANY(@p)", ("p", stale));
        foreach (var f in skipped)
            Execute("""
                INSERT INTO skipped_files (path, size_bytes, mtime_unix_ms, reason, seen_at) VALUES (@p, @s, @m, @r, @now)
                ON CONFLICT (path) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_unix_ms = excluded.mtime_unix_ms,
                    reason = excluded.reason, seen_at = excluded.seen_at
                """, ("p", f.Path), ("s", f.SizeBytes), ("m", f.MtimeUnixMs), ("r", f.Reason), ("now", now));
        tx.Commit();
    }

    public IReadOnlyList<SkippedFile> ListSkipped() => Rows(
        "SELECT path, size_bytes, mtime_unix_ms, reason FROM skipped_files ORDER BY path COLLATE \"C\"",
        r => new SkippedFile(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3)));

    public int GuessMissingTags()
    {
        var rows = Rows("SELECT id, path, title, artist, album, album_artist FROM tracks WHERE guessed_tags IS NULL AND status = 'analysed'",
            r => (Id: r.GetInt64(0), Path: r.GetString(1), Title: Text(r, 2), Artist: Text(r, 3), Album: Text(r, 4), AlbumArtist: Text(r, 5)));
        if (rows.Count == 0) return 0;
        using var tx = _db.BeginTransaction();
        foreach (var row in rows)
        {
            var g = TagGuess.Guess(row.Path, row.Title, row.Artist, row.Album, row.AlbumArtist);
            Execute("UPDATE tracks SET title = @t, artist = @a, album = @al, guessed_tags = @g WHERE id = @id",
                ("t", g.Title), ("a", g.Artist), ("al", g.Album), ("g", (int)g.Guessed), ("id", row.Id));
        }
        tx.Commit();
        return rows.Count;
    }
}
