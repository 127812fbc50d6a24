using Earworm.Catalog.Scanning;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    /// <summary>The files a scan of <paramref name="roots"/> passed over replace those recorded under the same roots
    /// (a file that became audio, or went away, leaves the list), in one transaction.</summary>
    public void RecordSkipped(IReadOnlyCollection<SkippedFile> skipped, IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(roots);
        var now = Now();
        using var tx = _db.BeginTransaction();
        var stale = new List<string>();
        using (var all = Command("SELECT path FROM skipped_files", tx))
        using (var r = all.ExecuteReader())
            while (r.Read())
                if (roots.Any(root => ChangeDetector.IsUnder(r.GetString(0), root))) stale.Add(r.GetString(0));
        using var delete = Command("DELETE FROM skipped_files WHERE path = $p", tx);
        foreach (var p in stale) Run(delete, ("$p", p));
        using var insert = Command("""
            INSERT INTO skipped_files (path, size_bytes, mtime_unix_ms, reason, seen_at) VALUES ($p, $s, $m, $r, $now)
            ON CONFLICT (path) DO UPDATE SET size_bytes = $s, mtime_unix_ms = $m, reason = $r, seen_at = $now
            """, tx);
        foreach (var f in skipped) Run(insert, ("$p", f.Path), ("$s", f.SizeBytes), ("$m", f.MtimeUnixMs), ("$r", f.Reason), ("$now", now));
        tx.Commit();
    }

    /// <summary>Every file a scan passed over, with the reason, ordered by path.</summary>
    public IReadOnlyList<SkippedFile> ListSkipped()
    {
        using var cmd = Command("SELECT path, size_bytes, mtime_unix_ms, reason FROM skipped_files ORDER BY path");
        using var r = cmd.ExecuteReader();
        var list = new List<SkippedFile>();
        while (r.Read())
            list.Add(new SkippedFile(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3)));
        return list;
    }

    /// <summary>Fills in, from the path, the title, artist and album of analysed tracks never looked at for guesses
    /// (analysed before Earworm guessed tags), without decoding them again. Returns how many were looked at.</summary>
    public int GuessMissingTags()
    {
        var rows = new List<(long Id, string Path, string? Title, string? Artist, string? Album, string? AlbumArtist)>();
        using (var select = Command("SELECT id, path, title, artist, album, album_artist FROM tracks WHERE guessed_tags IS NULL AND status = 'analysed'"))
        using (var r = select.ExecuteReader())
            while (r.Read())
                rows.Add((r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        if (rows.Count == 0) return 0;
        using var tx = _db.BeginTransaction();
        using var update = Command("UPDATE tracks SET title = $t, artist = $a, album = $al, guessed_tags = $g WHERE id = $id", tx);
        foreach (var row in rows)
        {
            var g = TagGuess.Guess(row.Path, row.Title, row.Artist, row.Album, row.AlbumArtist);
            Run(update, ("$t", g.Title), ("$a", g.Artist), ("$al", g.Album), ("$g", (int)g.Guessed), ("$id", row.Id));
        }
        tx.Commit();
        return rows.Count;
    }
}
