using System.Text.Json;
using Earworm.Catalog.Tags;
using Npgsql;
using NpgsqlTypes;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    public void ReplaceTrackTags(long trackId, TagSource source, IReadOnlyList<(string Tag, double Score)> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        using var tx = _db.BeginTransaction();
        WriteTrackTags(trackId, source, tags);
        tx.Commit();
    }

    /// <summary>A track's tags of one source replaced, in the caller's transaction.</summary>
    private void WriteTrackTags(long trackId, TagSource source, IReadOnlyList<(string Tag, double Score)> tags)
    {
        foreach (var (tag, score) in tags) CatalogStore.Checked(tag, score);
        Execute("DELETE FROM track_tags WHERE track_id = @t AND source = @s", ("t", trackId), ("s", source.Name()));
        if (tags.Count == 0) return;
        Execute("INSERT INTO track_tags (track_id, tag, score, source) SELECT @t, tag, score, @s FROM unnest(@tags, @scores) AS x (tag, score)",
            ("t", trackId), ("s", source.Name()), ("tags", tags.Select(t => t.Tag).ToArray()), ("scores", tags.Select(t => t.Score).ToArray()));
    }

    public int SetTrackTags(IReadOnlyList<TrackTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var t in tags) CatalogStore.Checked(t.Tag, t.Score);
        using var tx = _db.BeginTransaction();
        int written = 0;
        foreach (var t in tags)
            written += Execute("""
                INSERT INTO track_tags (track_id, tag, score, source) VALUES (@t, @tag, @score, @s)
                ON CONFLICT (track_id, tag, source) DO UPDATE SET score = excluded.score WHERE track_tags.score <> excluded.score
                """, ("t", t.TrackId), ("tag", t.Tag), ("score", t.Score), ("s", t.Source.Name()));
        tx.Commit();
        return written;
    }

    public bool RemoveTrackTag(long trackId, string tag, TagSource source) =>
        Execute("DELETE FROM track_tags WHERE track_id = @t AND tag = @tag AND source = @s", ("t", trackId), ("tag", tag), ("s", source.Name())) > 0;

    public IReadOnlyList<TrackTag> TagsOfTrack(long trackId) => CollectTags(trackId);

    public IReadOnlyList<TrackTag> AllTrackTags() => CollectTags(null);

    public IReadOnlyList<ItemTagRecord> AllItemTags() => Rows(
        "SELECT item_id, tag, count, source FROM item_tags ORDER BY item_id, count DESC, tag COLLATE \"C\"",
        r => new ItemTagRecord(r.GetInt64(0), r.GetString(1), Real(r, 2), r.GetString(3)));

    public int ReadMissingFileTags()
    {
        var rows = Rows("SELECT id, tags_json FROM tracks WHERE file_tags_read IS NULL AND status = 'analysed'", r => (r.GetInt64(0), Text(r, 1)));
        if (rows.Count == 0) return 0;
        using var tx = _db.BeginTransaction();
        foreach (var (id, json) in rows)
        {
            WriteFileTags(id, (json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json)) ?? []);
            Execute("UPDATE tracks SET file_tags_read = 1 WHERE id = @id", ("id", id));
        }
        tx.Commit();
        return rows.Count;
    }

    /// <summary>A scan's file tags (<see cref="FileTags"/>) in place of the track's earlier ones.</summary>
    private void WriteFileTags(long trackId, IReadOnlyDictionary<string, string> raw) =>
        WriteTrackTags(trackId, TagSource.File, [.. FileTags.From(raw).Select(t => (t, 1.0))]);

    /// <summary>The rows <see cref="CatalogStore.CollectTags(IReadOnlyList{ValueTuple{long, string}}, IEnumerable{ValueTuple{long, string, double, string}}, IEnumerable{ValueTuple{long?, string, string, string, double}})"/>
    /// merges, of one track or of all.</summary>
    private List<TrackTag> CollectTags(long? trackId)
    {
        var id = new NpgsqlParameter("id", NpgsqlDbType.Bigint) { Value = (object?)trackId ?? DBNull.Value };
        var tracks = Query("SELECT id, artist FROM tracks WHERE (@id::bigint IS NULL OR id = @id) AND status <> 'missing' ORDER BY id", id.Clone(),
            r => (r.GetInt64(0), Text(r, 1)));
        var own = Query("SELECT track_id, tag, score, source FROM track_tags WHERE @id::bigint IS NULL OR track_id = @id", id.Clone(),
            r => (r.GetInt64(0), r.GetString(1), r.GetDouble(2), r.GetString(3)));
        var imported = Rows("""
            SELECT i.track_id, i.artist, i.title, t.tag, t.count FROM item_tags t JOIN items i ON i.id = t.item_id
            WHERE i.track_id IS NOT NULL OR (i.title IS NULL AND i.artist IS NOT NULL)
            """, r => (r.IsDBNull(0) ? (long?)null : r.GetInt64(0), Text(r, 1), Text(r, 2), r.GetString(3), Real(r, 4)));
        return CatalogStore.CollectTags(tracks, own, imported);
    }

    private List<T> Query<T>(string sql, NpgsqlParameter parameter, Func<NpgsqlDataReader, T> read)
    {
        using var cmd = new NpgsqlCommand(sql, _db);
        cmd.Parameters.Add(parameter);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }
}
