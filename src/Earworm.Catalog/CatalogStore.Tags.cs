using System.Text.Json;
using Earworm.Catalog.Import;
using Earworm.Catalog.Tags;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    public void ReplaceTrackTags(long trackId, TagSource source, IReadOnlyList<(string Tag, double Score)> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var tx = _db.BeginTransaction();
        ReplaceTrackTags(trackId, source, tags, tx);
        tx.Commit();
    }

    private void ReplaceTrackTags(long trackId, TagSource source, IReadOnlyList<(string Tag, double Score)> tags, SqliteTransaction tx)
    {
        using (var delete = Command("DELETE FROM track_tags WHERE track_id = $t AND source = $s", tx))
            Run(delete, ("$t", trackId), ("$s", source.Name()));
        using var insert = Command("INSERT INTO track_tags (track_id, tag, score, source) VALUES ($t, $tag, $score, $s)", tx);
        foreach (var (tag, score) in tags)
            Run(insert, ("$t", trackId), ("$tag", Checked(tag, score)), ("$score", score), ("$s", source.Name()));
    }

    public int SetTrackTags(IReadOnlyList<TrackTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var tx = _db.BeginTransaction();
        using var upsert = Command("""
            INSERT INTO track_tags (track_id, tag, score, source) VALUES ($t, $tag, $score, $s)
            ON CONFLICT (track_id, tag, source) DO UPDATE SET score = excluded.score WHERE score <> excluded.score
            """, tx);
        int written = 0;
        foreach (var t in tags)
        {
            Checked(t.Tag, t.Score);
            upsert.Parameters.Clear();
            upsert.Parameters.AddWithValue("$t", t.TrackId);
            upsert.Parameters.AddWithValue("$tag", t.Tag);
            upsert.Parameters.AddWithValue("$score", t.Score);
            upsert.Parameters.AddWithValue("$s", t.Source.Name());
            written += upsert.ExecuteNonQuery();
        }
        tx.Commit();
        return written;
    }

    public bool RemoveTrackTag(long trackId, string tag, TagSource source)
    {
        using var cmd = Command("DELETE FROM track_tags WHERE track_id = $t AND tag = $tag AND source = $s");
        cmd.Parameters.AddWithValue("$t", trackId);
        cmd.Parameters.AddWithValue("$tag", tag);
        cmd.Parameters.AddWithValue("$s", source.Name());
        return cmd.ExecuteNonQuery() > 0;
    }

    public IReadOnlyList<TrackTag> TagsOfTrack(long trackId) => CollectTags(trackId);

    public IReadOnlyList<TrackTag> AllTrackTags() => CollectTags(null);

    public IReadOnlyList<ItemTagRecord> AllItemTags()
    {
        using var cmd = Command("SELECT item_id, tag, count, source FROM item_tags ORDER BY item_id, count DESC, tag");
        using var r = cmd.ExecuteReader();
        var list = new List<ItemTagRecord>();
        while (r.Read()) list.Add(new ItemTagRecord(r.GetInt64(0), r.GetString(1), r.GetDouble(2), r.GetString(3)));
        return list;
    }

    public int ReadMissingFileTags()
    {
        var rows = new List<(long Id, string? Json)>();
        using (var select = Command("SELECT id, tags_json FROM tracks WHERE file_tags_read IS NULL AND status = 'analysed'"))
        using (var r = select.ExecuteReader())
            while (r.Read()) rows.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1)));
        if (rows.Count == 0) return 0;
        using var tx = _db.BeginTransaction();
        using var mark = Command("UPDATE tracks SET file_tags_read = 1 WHERE id = $id", tx);
        foreach (var (id, json) in rows)
        {
            var raw = json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            WriteFileTags(id, raw ?? [], tx);
            Run(mark, ("$id", id));
        }
        tx.Commit();
        return rows.Count;
    }

    /// <summary>A scan's file tags (<see cref="FileTags"/>) in place of the track's earlier ones.</summary>
    private void WriteFileTags(long trackId, IReadOnlyDictionary<string, string> raw, SqliteTransaction tx) =>
        ReplaceTrackTags(trackId, TagSource.File, [.. FileTags.From(raw).Select(t => (t, 1.0))], tx);

    internal static string Checked(string tag, double score)
    {
        if (TagText.Normalise(tag) != tag) throw new ArgumentException($"tag '{tag}' is not normalised (TagText.Normalise)");
        if (!double.IsFinite(score) || score <= 0) throw new ArgumentException($"tag '{tag}' has score {score}: it must be positive");
        return tag;
    }

    /// <summary>The tags of one track (or of all, when null): its own rows, then the imported tags of its linked item
    /// and of its artist's item, spellings merged by <see cref="TagText.Key"/> within a source, best first.</summary>
    private List<TrackTag> CollectTags(long? trackId)
    {
        var tracks = new List<(long Id, string? Artist)>();
        using (var cmd = Command("SELECT id, artist FROM tracks WHERE ($id IS NULL OR id = $id) AND status <> 'missing' ORDER BY id"))
        {
            cmd.Parameters.AddWithValue("$id", (object?)trackId ?? DBNull.Value);
            using var r = cmd.ExecuteReader();
            while (r.Read()) tracks.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1)));
        }
        var own = new List<(long, string, double, string)>();
        using (var cmd = Command("SELECT track_id, tag, score, source FROM track_tags WHERE $id IS NULL OR track_id = $id"))
        {
            cmd.Parameters.AddWithValue("$id", (object?)trackId ?? DBNull.Value);
            using var r = cmd.ExecuteReader();
            while (r.Read()) own.Add((r.GetInt64(0), r.GetString(1), r.GetDouble(2), r.GetString(3)));
        }
        var imported = new List<(long?, string?, string?, string, double)>();
        using (var cmd = Command("""
            SELECT i.track_id, i.artist, i.title, t.tag, t.count FROM item_tags t JOIN items i ON i.id = t.item_id
            WHERE i.track_id IS NOT NULL OR (i.title IS NULL AND i.artist IS NOT NULL)
            """))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                imported.Add((r.IsDBNull(0) ? null : r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                    r.GetString(3), r.GetDouble(4)));
        return CollectTags(tracks, own, imported);
    }

    /// <summary>The rule of <see cref="TagsOfTrack"/> over rows any back end reads: the tracks (not missing) with their
    /// artists, their own tag rows, and the imported item tags of items linked to a track or of artist items (no title).</summary>
    internal static List<TrackTag> CollectTags(IReadOnlyList<(long Id, string? Artist)> tracks,
        IEnumerable<(long TrackId, string Tag, double Score, string Source)> own,
        IEnumerable<(long? TrackId, string? Artist, string? Title, string Tag, double Count)> imported)
    {
        var raw = new Dictionary<long, List<(string Tag, double Score, TagSource Source)>>();
        List<(string, double, TagSource)> Of(long id) => raw.TryGetValue(id, out var l) ? l : raw[id] = [];
        foreach (var (track, tag, score, source) in own) Of(track).Add((tag, score, TagSources.Parse(source)));
        // imported item tags: by the item linked to a track, and by an artist item (no title, no track) of its artist
        var byTrack = new Dictionary<long, List<(string, double)>>();
        var byArtist = new Dictionary<string, List<(string, double)>>(StringComparer.Ordinal);
        foreach (var (track, artistName, title, tag, count) in imported)
        {
            var entry = (tag, count);
            if (track is { } t) (byTrack.TryGetValue(t, out var l) ? l : byTrack[t] = []).Add(entry);
            else if (title is null && artistName is not null)
            {
                var artist = MatchText.Fold(artistName);
                (byArtist.TryGetValue(artist, out var l) ? l : byArtist[artist] = []).Add(entry);
            }
        }
        var result = new List<TrackTag>();
        foreach (var (id, artist) in tracks)
        {
            var rows = raw.TryGetValue(id, out var mine) ? mine : [];
            if (byTrack.TryGetValue(id, out var linked)) rows.AddRange(Imported(linked));
            if (artist is not null && byArtist.TryGetValue(MatchText.Fold(artist), out var ofArtist)) rows.AddRange(Imported(ofArtist));
            result.AddRange(Merge(id, rows));
        }
        return result;
    }

    private static IEnumerable<(string, double, TagSource)> Imported(List<(string Tag, double Count)> tags) =>
        tags.Select(t => (TagText.Normalise(t.Tag), t.Count, TagSource.Import)).Where(t => t.Item1 is not null)!;

    /// <summary>One row per tag and source (spellings with one key merged: the most used spelling, the scores summed), best first.</summary>
    private static IEnumerable<TrackTag> Merge(long trackId, List<(string Tag, double Score, TagSource Source)> rows) =>
        rows.GroupBy(x => (TagText.Key(x.Tag), x.Source))
            .Select(g => new TrackTag(trackId, g.MaxBy(x => x.Score).Tag, g.Sum(x => x.Score), g.Key.Source))
            .OrderByDescending(t => t.Score).ThenBy(t => t.Source).ThenBy(t => t.Tag, StringComparer.Ordinal);
}
