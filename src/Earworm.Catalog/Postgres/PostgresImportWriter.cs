using Earworm.Catalog.Import;
using Npgsql;
using NpgsqlTypes;

namespace Earworm.Catalog;

/// <summary>
/// Writes parsed sources into the PostgreSQL catalog inside the caller's transaction, with the rules of
/// <see cref="CatalogStore.Import"/> (<see cref="ItemResolver"/>) and the speed of bulk loading: the users and items
/// a source may name are read in one query, the new ones get ids from their sequences in blocks and are copied in
/// with binary COPY, and so are the interactions — into a scratch table, then into <c>interactions</c> with
/// <c>ON CONFLICT DO NOTHING</c> (events unique by user, item, source and time; aggregated counts by user, item and
/// source: a changed count replaces the stored one), or, for an import at least as large as the table, in bulk with
/// the table's indexes built again afterwards (<see cref="InsertEvents"/>).
/// </summary>
internal sealed class PostgresImportWriter : IItemStore
{
    private const int IdBlock = 4096;

    private readonly NpgsqlConnection _db;
    private readonly TrackMatcher _matcher;
    private readonly ItemResolver _resolver;
    private readonly DateTime _now;

    // what the catalog holds of the names and keys a source uses (read before it is resolved)
    private readonly Dictionary<string, long> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, long? Track)> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _itemOfTrack = [];

    // what a source adds, written before its interactions
    private readonly List<(long Id, string Name)> _newUsers = [];
    private readonly List<(long Id, string Key, long? Track, string? Artist, string? Title, string? Album, string? Mbid, string? Location)> _newItems = [];
    private readonly List<(long Id, long Track)> _links = [];
    private readonly Queue<long> _userIds = new(), _itemIds = new();

    public PostgresImportWriter(NpgsqlConnection db, TrackMatcher matcher, DateTime now)
    {
        _db = db;
        _matcher = matcher;
        _now = now;
        _resolver = new ItemResolver(this, matcher);
    }

    public ImportOutcome Write(ImportSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _resolver.BeginSource();
        var format = ImportFormats.Name(source.Format);
        long? sameAs = ScalarLong("SELECT MIN(id) FROM imports WHERE format = @f AND sha256 = @h AND finished_at IS NOT NULL",
            ("f", format), ("h", source.Sha256));
        long importId = ScalarLong("INSERT INTO imports (format, path, sha256, rows, user_name, started_at) VALUES (@f, @p, @h, @r, @u, @now) RETURNING id",
            ("f", format), ("p", source.Path), ("h", source.Sha256), ("r", source.Rows), ("u", source.User), ("now", _now))!.Value;

        ReadKnown(source);
        var (listens, repeats) = Resolve(source);
        var playlistItems = source.Playlists.Select(p => p.Entries.Select(e => _resolver.Item(e.Item)).ToList()).ToList();
        long? owner = source.User is { } user ? _resolver.User(user) : null;
        FlushUsersAndItems();
        var written = WriteListens(listens, repeats, ImportFormats.Source(source.Format), importId);
        var playlists = WritePlaylists(source, playlistItems, owner, format, importId);
        int tags = WriteTags(source);

        Exec("UPDATE imports SET finished_at = @now, interactions_added = @a, duplicates = @d WHERE id = @id",
            ("now", _now), ("a", written.Added), ("d", written.Duplicates), ("id", importId));
        return _resolver.Outcome(source, importId, sameAs, written, playlists, tags);
    }

    // ---- what the catalog already holds ---------------------------------------------------------

    /// <summary>Reads, in two queries, every user the source names and every item it may mean: by its key, and for
    /// entries matched to a track by the track, its natural key and <c>track:ID</c> (all <see cref="ItemResolver"/> asks).</summary>
    private void ReadKnown(ImportSource source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var tracks = new HashSet<long>();
        var referred = new HashSet<ItemRef>();
        void Refer(ItemRef r)
        {
            if (!referred.Add(r)) return;
            if (ItemKeys.For(r) is { } key) keys.Add(key);
            if (_matcher.Match(r) is not { } m) return;
            tracks.Add(m.Track.Id);
            keys.Add(TrackMatcher.NaturalKey(m.Track));
            keys.Add(ItemKeys.Track(m.Track.Id));
        }
        foreach (var l in source.Listens)
        {
            if (l.User is { } u) names.Add(u);
            Refer(l.Item);
        }
        if (source.User is { } owner) names.Add(owner);
        foreach (var p in source.Playlists)
            foreach (var e in p.Entries) Refer(e.Item);
        foreach (var t in source.Tags) keys.Add(t.ItemSourceKey);
        names.ExceptWith(_users.Keys);
        keys.ExceptWith(_items.Keys);
        tracks.ExceptWith(_itemOfTrack.Keys);

        using (var cmd = Command("SELECT name, id FROM users WHERE name = ANY(@n)", ("n", names.ToArray())))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) _users[r.GetString(0)] = r.GetInt64(1);
        using (var cmd = Command("SELECT key, id, track_id FROM items WHERE key = ANY(@k) OR track_id = ANY(@t)", ("k", keys.ToArray()), ("t", tracks.ToArray())))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                long? track = r.IsDBNull(2) ? null : r.GetInt64(2);
                _items[r.GetString(0)] = (r.GetInt64(1), track);
                if (track is { } t) _itemOfTrack[t] = r.GetInt64(1);
            }
        }
    }

    long? IItemStore.FindUser(string name) => _users.TryGetValue(name, out long id) ? id : null;

    long IItemStore.AddUser(string name)
    {
        long id = NextId(_userIds, "users");
        _users[name] = id;
        _newUsers.Add((id, name));
        return id;
    }

    (long Id, long? Track)? IItemStore.FindItemByKey(string key) => _items.TryGetValue(key, out var item) ? item : null;

    long? IItemStore.FindItemByTrack(long trackId) => _itemOfTrack.TryGetValue(trackId, out long id) ? id : null;

    long IItemStore.AddItem(string key, long? track, string? artist, string? title, string? album, string? mbid, string? location)
    {
        long id = NextId(_itemIds, "items");
        _items[key] = (id, track);
        if (track is { } t) _itemOfTrack[t] = id;
        _newItems.Add((id, key, track, artist, title, album, mbid, location));
        return id;
    }

    void IItemStore.LinkItem(long id, long track)
    {
        _itemOfTrack[track] = id;
        _links.Add((id, track));
    }

    /// <summary>An id from the table's identity sequence, fetched in blocks (one round trip per <see cref="IdBlock"/>).</summary>
    private long NextId(Queue<long> ids, string table)
    {
        if (ids.Count == 0)
        {
            using var cmd = Command($"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {IdBlock})");
            using var r = cmd.ExecuteReader();
            while (r.Read()) ids.Enqueue(r.GetInt64(0));
        }
        return ids.Dequeue();
    }

    private void FlushUsersAndItems()
    {
        if (_newUsers.Count > 0)
        {
            using var copy = _db.BeginBinaryImport("COPY users (id, name, created_at) FROM STDIN (FORMAT BINARY)");
            foreach (var (id, name) in _newUsers)
            {
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Bigint);
                copy.Write(name, NpgsqlDbType.Text);
                copy.Write(_now, NpgsqlDbType.TimestampTz);
            }
            copy.Complete();
            _newUsers.Clear();
        }
        if (_newItems.Count > 0)
        {
            using var copy = _db.BeginBinaryImport("COPY items (id, key, track_id, artist, title, album, mbid, location, created_at) FROM STDIN (FORMAT BINARY)");
            foreach (var i in _newItems)
            {
                copy.StartRow();
                copy.Write(i.Id, NpgsqlDbType.Bigint);
                copy.Write(i.Key, NpgsqlDbType.Text);
                WriteOrNull(copy, i.Track, NpgsqlDbType.Bigint);
                WriteOrNull(copy, i.Artist, NpgsqlDbType.Text);
                WriteOrNull(copy, i.Title, NpgsqlDbType.Text);
                WriteOrNull(copy, i.Album, NpgsqlDbType.Text);
                WriteOrNull(copy, i.Mbid, NpgsqlDbType.Text);
                WriteOrNull(copy, i.Location, NpgsqlDbType.Text);
                copy.Write(_now, NpgsqlDbType.TimestampTz);
            }
            copy.Complete();
            _newItems.Clear();
        }
        if (_links.Count > 0)
        {
            Exec("UPDATE items SET track_id = l.track FROM unnest(@ids, @tracks) AS l (id, track) WHERE items.id = l.id",
                ("ids", _links.Select(l => l.Id).ToArray()), ("tracks", _links.Select(l => l.Track).ToArray()));
            _links.Clear();
        }
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, type);
    }

    // ---- interactions ----------------------------------------------------------------------------

    /// <summary>The source's listens as catalog ids: events in file order, each (user, item, time) once (a repeat is a
    /// duplicate, as the catalog's unique index would say: found here, the server inserts without looking), aggregated
    /// counts summed per (user, item).</summary>
    private (List<(long User, long Item, double Count, long? At)> Rows, int Repeats) Resolve(ImportSource source)
    {
        var rows = new List<(long, long, double, long?)>(source.Listens.Count);
        var aggregates = new Dictionary<(long User, long Item), int>();
        var events = new HashSet<(long User, long Item, long At)>();
        int repeats = 0;
        foreach (var l in source.Listens)
        {
            long user = _resolver.User(l.User ?? throw new InvalidOperationException($"line {l.LineNumber}: a listen without a user reached the writer"));
            long item = _resolver.Item(l.Item);
            if (l.TimestampUnixSeconds is { } at)
            {
                if (events.Add((user, item, at))) rows.Add((user, item, l.Count, at));
                else repeats++;
            }
            else if (aggregates.TryGetValue((user, item), out int row))
            {
                rows[row] = rows[row] with { Item3 = rows[row].Item3 + l.Count };
            }
            else
            {
                aggregates[(user, item)] = rows.Count;
                rows.Add((user, item, l.Count, null));
            }
        }
        return (rows, repeats);
    }

    private (int Added, int Updated, int Duplicates, int Skips) WriteListens(List<(long User, long Item, double Count, long? At)> rows, int repeats,
        string origin, long importId)
    {
        if (rows.Count == 0) return (0, 0, repeats, 0);
        // one import at a time writes interactions (readers go on): the duplicates found below stay the only ones
        Exec("LOCK TABLE interactions IN SHARE ROW EXCLUSIVE MODE");
        Exec("""
            CREATE TEMP TABLE IF NOT EXISTS import_rows (ord integer NOT NULL, user_id bigint NOT NULL, item_id bigint NOT NULL,
                count double precision NOT NULL, at bigint) ON COMMIT DROP;
            TRUNCATE import_rows
            """);
        using (var copy = _db.BeginBinaryImport("COPY import_rows (ord, user_id, item_id, count, at) FROM STDIN (FORMAT BINARY)"))
        {
            for (int i = 0; i < rows.Count; i++)
            {
                var (user, item, count, at) = rows[i];
                copy.StartRow();
                copy.Write(i, NpgsqlDbType.Integer);
                copy.Write(user, NpgsqlDbType.Bigint);
                copy.Write(item, NpgsqlDbType.Bigint);
                copy.Write(count, NpgsqlDbType.Double);
                if (at is { } t) copy.Write(t, NpgsqlDbType.Bigint);
                else copy.WriteNull();
            }
            copy.Complete();
        }
        Exec("ANALYZE import_rows");
        int events = rows.Count(r => r.At is not null), aggregates = rows.Count - events;
        var (added, skips) = events == 0 ? (0, 0) : InsertEvents(events, origin, importId);
        var (addedAggregates, _) = aggregates == 0 ? (0, 0) : Inserted("at IS NULL", origin, importId);
        int updated = aggregates == addedAggregates ? 0 : Exec("""
            UPDATE interactions x SET count = r.count, import_id = @import FROM import_rows r
            WHERE r.at IS NULL AND x.user_id = r.user_id AND x.item_id = r.item_id AND x.source = @source
              AND x.timestamp_unix_s IS NULL AND x.count <> r.count
            """, ("import", importId), ("source", origin));
        return (added + addedAggregates, updated, repeats + events - added + aggregates - addedAggregates - updated, skips);
    }

    /// <summary>The scratch table's events, those not yet in the catalog; how many went in, and how many are skips.
    /// An import at least as large as the table it goes into (a first import, a service's initial load) is a bulk
    /// load: the events the catalog holds already leave the scratch table (found through the unique index), the
    /// table's secondary indexes are dropped, the rest inserted and the indexes built again — a third of the server's
    /// time of keeping three indexes up to date row by row — all inside the import's transaction, so a failed import
    /// leaves the indexes as they were. Readers of interactions wait for such an import to commit.</summary>
    private (int Added, int Skips) InsertEvents(int events, string origin, long importId)
    {
        if (!IsBulk(events)) return Inserted("at IS NOT NULL", origin, importId);
        Exec("""
            DELETE FROM import_rows r USING interactions x
            WHERE r.at IS NOT NULL AND x.user_id = r.user_id AND x.item_id = r.item_id AND x.source = @source AND x.timestamp_unix_s = r.at
            """, ("source", origin));
        // index builds sort in memory up to maintenance_work_mem: at least 256 MB for this transaction
        Exec("SELECT set_config('maintenance_work_mem', '262144', true) FROM pg_settings WHERE name = 'maintenance_work_mem' AND setting::bigint < 262144");
        Exec(string.Concat(InteractionIndexes.Select(i => $"DROP INDEX {i.Name};")));
        int skips = (int)ScalarLong("SELECT COUNT(*) FROM import_rows WHERE at IS NOT NULL AND count = 0")!.Value;
        int added = Exec(Command(
            "INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source, import_id) SELECT user_id, item_id, count, at, @source, @import FROM import_rows WHERE at IS NOT NULL ORDER BY ord",
            ("source", origin), ("import", importId)));
        foreach (var (_, definition) in InteractionIndexes) Exec(Command(definition));
        Exec("ANALYZE interactions");
        return (added, skips);
    }

    /// <summary>Whether <paramref name="events"/> new rows are at least as many as interactions holds (the planner's
    /// estimate once the table has been analysed; else counted, up to that many).</summary>
    private bool IsBulk(int events)
    {
        double estimate = Convert.ToDouble(Scalar("SELECT reltuples FROM pg_class WHERE oid = 'interactions'::regclass"), System.Globalization.CultureInfo.InvariantCulture);
        long held = estimate >= 0 ? (long)estimate : ScalarLong("SELECT COUNT(*) FROM (SELECT 1 FROM interactions LIMIT @n) t", ("n", events))!.Value;
        return events >= held;
    }

    /// <summary>The secondary indexes of interactions as schema step 1 made them (a bulk load builds them again; the
    /// contract suite checks that they come back the same).</summary>
    private static readonly (string Name, string Definition)[] InteractionIndexes =
    [
        ("interactions_event", "CREATE UNIQUE INDEX interactions_event ON interactions (user_id, item_id, source, timestamp_unix_s) WHERE timestamp_unix_s IS NOT NULL"),
        ("interactions_aggregate", "CREATE UNIQUE INDEX interactions_aggregate ON interactions (user_id, item_id, source) WHERE timestamp_unix_s IS NULL"),
        ("interactions_item", "CREATE INDEX interactions_item ON interactions (item_id)"),
    ];

    /// <summary>Inserts the scratch rows that match <paramref name="which"/>, in file order, leaving out those already
    /// there; how many went in, and how many of those are skips.</summary>
    private (int Added, int Skips) Inserted(string which, string origin, long importId)
    {
        using var cmd = Command($"""
            WITH added AS (
                INSERT INTO interactions (user_id, item_id, count, timestamp_unix_s, source, import_id)
                SELECT user_id, item_id, count, at, @source, @import FROM import_rows WHERE {which} ORDER BY ord
                ON CONFLICT DO NOTHING RETURNING count)
            SELECT COUNT(*), COUNT(*) FILTER (WHERE count = 0) FROM added
            """, ("source", origin), ("import", importId));
        cmd.CommandTimeout = 0; // as long as the import is large: the caller's cancellation is the bound
        using var r = cmd.ExecuteReader();
        r.Read();
        return (Convert.ToInt32(r.GetInt64(0)), Convert.ToInt32(r.GetInt64(1)));
    }

    // ---- playlists and tags ------------------------------------------------------------------------

    private (int Added, int Updated, int Unchanged, int Entries) WritePlaylists(ImportSource source, List<List<long>> itemsOf, long? user,
        string format, long importId)
    {
        int added = 0, updated = 0, unchanged = 0, entries = 0;
        for (int k = 0; k < source.Playlists.Count; k++)
        {
            var p = source.Playlists[k];
            var items = itemsOf[k];
            entries += items.Count;
            long? existing = ScalarLong("SELECT id FROM playlists WHERE source_path = @p AND COALESCE(user_id, 0) = @u",
                ("p", p.SourcePath), ("u", user ?? 0));
            if (existing is { } id)
            {
                var name = Scalar("SELECT name FROM playlists WHERE id = @id", ("id", id)) as string;
                var stored = new List<long>();
                using (var cmd = Command("SELECT item_id FROM playlist_entries WHERE playlist_id = @p ORDER BY position", ("p", id)))
                using (var r = cmd.ExecuteReader())
                    while (r.Read()) stored.Add(r.GetInt64(0));
                if (name == p.Name && stored.SequenceEqual(items))
                {
                    unchanged++;
                    continue;
                }
                Exec("DELETE FROM playlist_entries WHERE playlist_id = @id", ("id", id));
                Exec("UPDATE playlists SET name = @n, format = @f, import_id = @i, updated_at = @now WHERE id = @id",
                    ("n", p.Name), ("f", format), ("i", importId), ("now", _now), ("id", id));
                updated++;
            }
            else
            {
                id = ScalarLong("""
                    INSERT INTO playlists (name, source_path, format, user_id, import_id, created_at, updated_at)
                    VALUES (@n, @p, @f, @u, @i, @now, @now) RETURNING id
                    """, ("n", p.Name), ("p", p.SourcePath), ("f", format), ("u", user), ("i", importId), ("now", _now))!.Value;
                added++;
            }
            Exec("INSERT INTO playlist_entries (playlist_id, position, item_id) SELECT @p, n - 1, item FROM unnest(@items) WITH ORDINALITY AS e (item, n)",
                ("p", id), ("items", items.ToArray()));
        }
        return (added, updated, unchanged, entries);
    }

    /// <summary>Tags replace the counts of earlier imports of the same source (within a file the last count of a tag
    /// wins); tags of items not in the catalog are left out. Copied in, then merged in one statement.</summary>
    private int WriteTags(ImportSource source)
    {
        if (source.Tags.Count == 0) return 0;
        Exec("""
            CREATE TEMP TABLE IF NOT EXISTS import_tags (ord integer NOT NULL, item_id bigint NOT NULL, tag text NOT NULL,
                count integer NOT NULL) ON COMMIT DROP;
            TRUNCATE import_tags
            """);
        using (var copy = _db.BeginBinaryImport("COPY import_tags (ord, item_id, tag, count) FROM STDIN (FORMAT BINARY)"))
        {
            int ord = 0;
            foreach (var t in source.Tags)
            {
                if (_resolver.ItemByKey(t.ItemSourceKey) is not { } item) continue;
                copy.StartRow();
                copy.Write(ord++, NpgsqlDbType.Integer);
                copy.Write(item.Id, NpgsqlDbType.Bigint);
                copy.Write(t.Tag, NpgsqlDbType.Text);
                copy.Write(t.Count, NpgsqlDbType.Integer);
            }
            copy.Complete();
        }
        return Exec("""
            INSERT INTO item_tags (item_id, tag, count, source)
            SELECT DISTINCT ON (item_id, tag) item_id, tag, count, @source FROM import_tags ORDER BY item_id, tag, ord DESC
            ON CONFLICT (item_id, tag, source) DO UPDATE SET count = excluded.count WHERE item_tags.count <> excluded.count
            """, ("source", ImportFormats.Source(source.Format)));
    }

    private NpgsqlCommand Command(string sql, params (string Name, object? Value)[] args) => _db.Command(sql, args);

    private int Exec(string sql, params (string Name, object? Value)[] args) => _db.Execute(sql, args);

    /// <summary>Runs a statement whose time grows with the import (the bulk insert, an index build over the whole
    /// table) without a time limit: the caller's cancellation is the bound.</summary>
    private static int Exec(NpgsqlCommand cmd)
    {
        using (cmd)
        {
            cmd.CommandTimeout = 0;
            return cmd.ExecuteNonQuery();
        }
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] args) => _db.Scalar(sql, args);

    private long? ScalarLong(string sql, params (string Name, object? Value)[] args) => _db.ScalarLong(sql, args);
}
