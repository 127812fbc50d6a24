using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Import;

/// <summary>
/// Writes parsed sources into the catalog inside the caller's transaction. Finds or makes users and items (see
/// <see cref="CatalogStore.Import"/> for the rules), then adds interactions so that importing the same data again
/// adds nothing: events are unique by (user, item, source, time), aggregated counts by (user, item, source).
/// </summary>
internal sealed class ImportWriter : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly SqliteTransaction _tx;
    private readonly TrackMatcher _matcher;
    private readonly string _now;
    private readonly List<SqliteCommand> _commands = [];
    private readonly Dictionary<string, long> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, long? Track)> _itemsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _itemByTrack = [];

    private readonly SqliteCommand _findUser, _addUser, _findItemByKey, _findItemByTrack, _addItem, _linkItem;
    private readonly SqliteCommand _addEvent, _addAggregate, _updateAggregate;

    // per source
    private readonly HashSet<long> _usersSeen = [], _itemsSeen = [], _itemsMatched = [];
    private int _usersAdded, _itemsAdded;

    public ImportWriter(SqliteConnection db, SqliteTransaction tx, TrackMatcher matcher, string now)
    {
        _db = db;
        _tx = tx;
        _matcher = matcher;
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
        _usersSeen.Clear();
        _itemsSeen.Clear();
        _itemsMatched.Clear();
        _usersAdded = _itemsAdded = 0;
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
        return new ImportOutcome
        {
            ImportId = importId,
            Format = format,
            Path = source.Path,
            Sha256 = source.Sha256,
            Rows = source.Rows,
            SameAsImportId = sameAs,
            Users = _usersSeen.Count,
            UsersAdded = _usersAdded,
            Items = _itemsSeen.Count,
            ItemsAdded = _itemsAdded,
            ItemsMatched = _itemsMatched.Count,
            InteractionsAdded = listens.Added,
            InteractionsUpdated = listens.Updated,
            DuplicatesSkipped = listens.Duplicates,
            Skips = listens.Skips,
            PlaylistsAdded = playlists.Added,
            PlaylistsUpdated = playlists.Updated,
            PlaylistsUnchanged = playlists.Unchanged,
            PlaylistEntries = playlists.Entries,
            TagsWritten = tags,
            Ignored = source.Ignored,
        };
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

    // ---- users and items --------------------------------------------------------------------

    private long User(string name)
    {
        if (!_users.TryGetValue(name, out long id))
        {
            if (ScalarLong(_findUser, ("$name", name)) is { } found) id = found;
            else
            {
                id = ScalarLong(_addUser, ("$name", name), ("$now", _now))!.Value;
                _usersAdded++;
            }
            _users[name] = id;
        }
        _usersSeen.Add(id);
        return id;
    }

    /// <summary>The item <paramref name="r"/> means; see <see cref="CatalogStore.Import"/>.</summary>
    internal long Item(ItemRef r)
    {
        var key = ItemKeys.For(r) ?? throw new ArgumentException("an item that names nothing (no artist and title, id, path or URL)", nameof(r));
        long id;
        long? track = null;
        if (_matcher.Match(r) is { } m)
        {
            track = m.Track.Id;
            id = ItemOfTrack(m.Track, r, key);
        }
        else if (ItemByKey(key) is { } existing)
        {
            id = existing.Id;
            track = existing.Track;
        }
        else
        {
            id = AddItem(key, null, r.Artist, r.Title, r.Album, r.Mbid, r.Path ?? r.Url);
        }
        _itemsSeen.Add(id);
        if (track is not null) _itemsMatched.Add(id);
        return id;
    }

    /// <summary>A track has one item: the one linked to it; else an unlinked item filed under the entry's key or the
    /// track's own key, now linked; else a new one, filed under the first free of the track's key, the entry's key and
    /// <c>track:ID</c>.</summary>
    private long ItemOfTrack(TrackRecord t, ItemRef r, string key)
    {
        if (_itemByTrack.TryGetValue(t.Id, out long id)) return id;
        if (ScalarLong(_findItemByTrack, ("$track", t.Id)) is { } linked) return _itemByTrack[t.Id] = linked;
        var natural = TrackMatcher.NaturalKey(t);
        foreach (var k in new[] { key, natural })
        {
            if (ItemByKey(k) is not { Track: null } free) continue;
            Set(_linkItem, ("$track", t.Id), ("$id", free.Id)).ExecuteNonQuery();
            _itemsByKey[k] = (free.Id, t.Id);
            return _itemByTrack[t.Id] = free.Id;
        }
        var newKey = new[] { natural, key, ItemKeys.Track(t.Id) }.First(k => ItemByKey(k) is null);
        return AddItem(newKey, t.Id, t.Artist ?? t.AlbumArtist ?? r.Artist, t.Title ?? r.Title, t.Album ?? r.Album, r.Mbid, null);
    }

    private (long Id, long? Track)? ItemByKey(string key)
    {
        if (_itemsByKey.TryGetValue(key, out var cached)) return cached;
        using var reader = Set(_findItemByKey, ("$key", key)).ExecuteReader();
        if (!reader.Read()) return null;
        var found = (reader.GetInt64(0), reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1));
        _itemsByKey[key] = found;
        return found;
    }

    private long AddItem(string key, long? track, string? artist, string? title, string? album, string? mbid, string? location)
    {
        long id = ScalarLong(_addItem, ("$key", key), ("$track", track), ("$artist", artist), ("$title", title), ("$album", album),
            ("$mbid", mbid), ("$location", location), ("$now", _now))!.Value;
        _itemsByKey[key] = (id, track);
        if (track is { } t) _itemByTrack[t] = id;
        _itemsAdded++;
        return id;
    }

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
