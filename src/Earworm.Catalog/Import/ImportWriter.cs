using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Import;

/// <summary>
/// Writes parsed sources into the catalog inside the caller's transaction. Finds or makes users and items (see
/// <see cref="CatalogStore.Import"/> for the rules), then adds interactions so that importing the same data again
/// adds nothing: events are unique by (user, item, source, time), aggregated counts by (user, item, source).
/// </summary>
internal sealed class ImportWriter : IDisposable, IItemStore
{
    private readonly SqliteConnection _db;
    private readonly SqliteTransaction _tx;
    private readonly ItemResolver _resolver;
    private readonly string _now;
    private readonly List<SqliteCommand> _commands = [];

    private readonly SqliteCommand _findUser, _addUser, _findItemByKey, _findItemByTrack, _addItem, _linkItem;
    private readonly SqliteCommand _addEvent, _addAggregate, _updateAggregate;

    public ImportWriter(SqliteConnection db, SqliteTransaction tx, TrackMatcher matcher, string now)
    {
        _db = db;
        _tx = tx;
        _resolver = new ItemResolver(this, matcher);
        _now = now;
        _findUser = Cmd("SELECT id FROM users WHERE name = $name");
        _addUser = Cmd("INSERT INTO users (name, created_at) VALUES ($name, $now) RETURNING id");
        _findItemByKey = Cmd("SELECT id, track_id FROM items WHERE key = $key");
        _findItemByTrack = Cmd("SELECT id FROM items WHERE track_id = $track");
        _addItem = Cmd("""
            INSERT INTO items (key, track_id, artist, title, album, mbid, location, created_at)
            VALUES ($key, $track, $artist, $title, $album, $mbid, $location, $now) RETURNING id
            """);
        _linkItem = Cmd("UPDATE items SET track_id = $track WHERE id = $id");
        _addEvent = Cmd("""
            INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source, import_id)
            VALUES ($user, $item, $count, $at, $source, $import) ON CONFLICT DO NOTHING
            """);
        _addAggregate = Cmd("""
            INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source, import_id)
            VALUES ($user, $item, $count, NULL, $source, $import) ON CONFLICT DO NOTHING
            """);
        _updateAggregate = Cmd("""
            UPDATE interactions SET count = $count, import_id = $import
            WHERE user_id = $user AND item_id = $item AND source = $source AND timestamp_unix_s IS NULL AND count <> $count
            """);
    }

    public void Dispose()
    {
        foreach (var c in _commands) c.Dispose();
    }

    public ImportOutcome Write(ImportSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _resolver.BeginSource();
        var format = ImportFormats.Name(source.Format);
        long? sameAs = ScalarLong("SELECT MIN(id) FROM imports WHERE format = $f AND sha256 = $h AND finished_at IS NOT NULL",
            ("$f", format), ("$h", source.Sha256));
        long importId = ScalarLong("INSERT INTO imports (format, path, sha256, rows, user_name, started_at) VALUES ($f, $p, $h, $r, $u, $now) RETURNING id",
            ("$f", format), ("$p", source.Path), ("$h", source.Sha256), ("$r", source.Rows), ("$u", source.User), ("$now", _now))!.Value;

        var listens = WriteListens(source, importId);
        var playlists = WritePlaylists(source, importId);
        int tags = WriteTags(source);

        Exec("UPDATE imports SET finished_at = $now, interactions_added = $a, duplicates = $d WHERE id = $id",
            ("$now", _now), ("$a", listens.Added), ("$d", listens.Duplicates), ("$id", importId));
        return _resolver.Outcome(source, importId, sameAs, listens, playlists, tags);
    }

    // ---- interactions -----------------------------------------------------------------------

    private (int Added, int Updated, int Duplicates, int Skips) WriteListens(ImportSource source, long importId)
    {
        var origin = ImportFormats.Source(source.Format);
        int added = 0, updated = 0, duplicates = 0, skips = 0;
        // aggregated counts of one file are summed per (user, item) before they meet the catalog
        var aggregates = new Dictionary<(long User, long Item), double>();
        var order = new List<(long, long)>();
        foreach (var l in source.Listens)
        {
            long user = User(l.User ?? throw new InvalidOperationException($"line {l.LineNumber}: a listen without a user reached the writer"));
            long item = Item(l.Item);
            if (l.TimestampUnixSeconds is { } at)
            {
                if (Set(_addEvent, ("$user", user), ("$item", item), ("$count", l.Count), ("$at", at), ("$source", origin), ("$import", importId))
                        .ExecuteNonQuery() == 1)
                {
                    added++;
                    if (l.Count == 0) skips++;
                }
                else
                {
                    duplicates++;
                }
                continue;
            }
            if (!aggregates.TryGetValue((user, item), out double sum)) order.Add((user, item));
            aggregates[(user, item)] = sum + l.Count;
        }
        foreach (var key in order)
        {
            var args = new (string, object?)[] { ("$user", key.Item1), ("$item", key.Item2), ("$count", aggregates[key]), ("$source", origin), ("$import", importId) };
            if (Set(_addAggregate, args).ExecuteNonQuery() == 1) added++;
            else if (Set(_updateAggregate, args).ExecuteNonQuery() == 1) updated++;
            else duplicates++;
        }
        return (added, updated, duplicates, skips);
    }

    // ---- users and items (the rules are ItemResolver's; this store answers row by row) ----------

    private long User(string name) => _resolver.User(name);

    private long Item(ItemRef r) => _resolver.Item(r);

    private (long Id, long? Track)? ItemByKey(string key) => _resolver.ItemByKey(key);

    long? IItemStore.FindUser(string name) => ScalarLong(_findUser, ("$name", name));

    long IItemStore.AddUser(string name) => ScalarLong(_addUser, ("$name", name), ("$now", _now))!.Value;

    (long Id, long? Track)? IItemStore.FindItemByKey(string key)
    {
        using var reader = Set(_findItemByKey, ("$key", key)).ExecuteReader();
        if (!reader.Read()) return null;
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    long? IItemStore.FindItemByTrack(long trackId) => ScalarLong(_findItemByTrack, ("$track", trackId));

    long IItemStore.AddItem(string key, long? track, string? artist, string? title, string? album, string? mbid, string? location) =>
        ScalarLong(_addItem, ("$key", key), ("$track", track), ("$artist", artist), ("$title", title), ("$album", album),
            ("$mbid", mbid), ("$location", location), ("$now", _now))!.Value;

    void IItemStore.LinkItem(long id, long track) => Set(_linkItem, ("$track", track), ("$id", id)).ExecuteNonQuery();

    // ---- playlists and tags ------------------------------------------------------------------

    private (int Added, int Updated, int Unchanged, int Entries) WritePlaylists(ImportSource source, long importId)
    {
        int added = 0, updated = 0, unchanged = 0, entries = 0;
        long? user = source.User is { } u ? User(u) : null;
        var format = ImportFormats.Name(source.Format);
        foreach (var p in source.Playlists)
        {
            var items = p.Entries.Select(e => Item(e.Item)).ToList();
            entries += items.Count;
            long? existing = ScalarLong("SELECT id FROM playlists WHERE source_path = $p AND COALESCE(user_id, 0) = COALESCE($u, 0)",
                ("$p", p.SourcePath), ("$u", user));
            if (existing is { } id)
            {
                var name = Scalar("SELECT name FROM playlists WHERE id = $id", ("$id", id)) as string;
                if (name == p.Name && EntriesOf(id).SequenceEqual(items))
                {
                    unchanged++;
                    continue;
                }
                Exec("DELETE FROM playlist_entries WHERE playlist_id = $id", ("$id", id));
                Exec("UPDATE playlists SET name = $n, format = $f, import_id = $i, updated_at = $now WHERE id = $id",
                    ("$n", p.Name), ("$f", format), ("$i", importId), ("$now", _now), ("$id", id));
                updated++;
            }
            else
            {
                id = ScalarLong("""
                    INSERT INTO playlists (name, source_path, format, user_id, import_id, created_at, updated_at)
                    VALUES ($n, $p, $f, $u, $i, $now, $now) RETURNING id
                    """, ("$n", p.Name), ("$p", p.SourcePath), ("$f", format), ("$u", user), ("$i", importId), ("$now", _now))!.Value;
                added++;
            }
            using var insert = NewCommand("INSERT INTO playlist_entries (playlist_id, position, item_id) VALUES ($p, $pos, $item)");
            for (int i = 0; i < items.Count; i++)
                Set(insert, ("$p", id), ("$pos", i), ("$item", items[i])).ExecuteNonQuery();
        }
        return (added, updated, unchanged, entries);
    }

    private List<long> EntriesOf(long playlist)
    {
        using var cmd = NewCommand("SELECT item_id FROM playlist_entries WHERE playlist_id = $p ORDER BY position");
        using var r = Set(cmd, ("$p", playlist)).ExecuteReader();
        var list = new List<long>();
        while (r.Read()) list.Add(r.GetInt64(0));
        return list;
    }

    /// <summary>Tags replace the counts of earlier imports of the same source; tags of items not in the catalog are
    /// left out (the parser already dropped those of items it did not list).</summary>
    private int WriteTags(ImportSource source)
    {
        if (source.Tags.Count == 0) return 0;
        var origin = ImportFormats.Source(source.Format);
        using var upsert = NewCommand("""
            INSERT INTO item_tags (item_id, tag, count, source) VALUES ($item, $tag, $count, $source)
            ON CONFLICT (item_id, tag, source) DO UPDATE SET count = excluded.count WHERE count <> excluded.count
            """);
        int written = 0;
        foreach (var t in source.Tags)
        {
            if (ItemByKey(t.ItemSourceKey) is not { } item) continue;
            written += Set(upsert, ("$item", item.Id), ("$tag", t.Tag), ("$count", t.Count), ("$source", origin)).ExecuteNonQuery();
        }
        return written;
    }

    // ---- SQL helpers ----------------------------------------------------------------------------

    /// <summary>A command kept for the writer's life (prepared once, run per row).</summary>
    private SqliteCommand Cmd(string sql)
    {
        var cmd = NewCommand(sql);
        _commands.Add(cmd);
        return cmd;
    }

    private SqliteCommand NewCommand(string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _tx;
        return cmd;
    }

    private static SqliteCommand Set(SqliteCommand cmd, params (string Name, object? Value)[] args)
    {
        foreach (var (n, v) in args)
        {
            var value = v ?? DBNull.Value;
            if (cmd.Parameters.Contains(n)) cmd.Parameters[n].Value = value;
            else cmd.Parameters.AddWithValue(n, value);
        }
        return cmd;
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = NewCommand(sql);
        var v = Set(cmd, args).ExecuteScalar();
        return v is DBNull ? null : v;
    }

    private long? ScalarLong(string sql, params (string Name, object? Value)[] args) =>
        Scalar(sql, args) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    private static long? ScalarLong(SqliteCommand cmd, params (string Name, object? Value)[] args) =>
        Set(cmd, args).ExecuteScalar() is { } v and not DBNull ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    private void Exec(string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = NewCommand(sql);
        Set(cmd, args).ExecuteNonQuery();
    }
}
