using Earworm.Catalog.Import;
using Npgsql;
using NpgsqlTypes;

namespace Earworm.Catalog;

/// <summary>
/// Writes parsed sources into the PostgreSQL catalog inside the caller's transaction, with the rules of
/// <see cref="CatalogStore.Import"/> (<see cref="ItemResolver"/>) and the speed of bulk loading: the users and items
/// a source may name are read in one query, the new ones get ids from their sequences (as many as were not found, in
/// one round trip) and are copied in with binary COPY, and so are the interactions, streamed as they are turned into
/// ids (<see cref="WriteListens"/>): into a scratch table, then into <c>interactions</c> with <c>ON CONFLICT DO
/// NOTHING</c> (events unique by user, item, source and time; aggregated counts by user, item and source: a changed
/// count replaces the stored one), or, for an import at least as large as the table, straight into
/// <c>interactions</c> with the table's key and indexes built again afterwards (<see cref="BulkLoad"/>).
/// </summary>
internal sealed partial class PostgresImportWriter : IItemStore
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

        var listens = ListenIndex.Of(source.Listens);
        ReadKnown(source, listens);
        var (userIds, itemIds) = Resolve(listens);
        var playlistItems = source.Playlists.Select(p => p.Entries.Select(e => _resolver.Item(e.Item)).ToList()).ToList();
        long? owner = source.User is { } user ? _resolver.User(user) : null;
        FlushUsersAndItems();
        var written = WriteListens(source.Listens, listens, userIds, itemIds, ImportFormats.Source(source.Format), importId);
        var playlists = WritePlaylists(source, playlistItems, owner, format, importId);
        int tags = WriteTags(source);

        Exec("UPDATE imports SET finished_at = @now, interactions_added = @a, duplicates = @d WHERE id = @id",
            ("now", _now), ("a", written.Added), ("d", written.Duplicates), ("id", importId));
        return _resolver.Outcome(source, importId, sameAs, written, playlists, tags);
    }

    // ---- what the catalog already holds ---------------------------------------------------------

    /// <summary>Reads, in two queries, every user the source names and every item it may mean: by its key, and for
    /// entries matched to a track by the track, its natural key and <c>track:ID</c> (all <see cref="ItemResolver"/> asks);
    /// then takes from the sequences, in one round trip each, as many ids as the users and items not found.</summary>
    private void ReadKnown(ImportSource source, ListenIndex listens)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var tracks = new HashSet<long>();
        var referred = new HashSet<ItemRef>();
        var entryKeys = new List<string>();
        void Refer(ItemRef r)
        {
            if (!referred.Add(r)) return;
            if (ItemKeys.For(r) is not { } key) return;
            keys.Add(key);
            entryKeys.Add(key);
            if (_matcher.Match(r) is not { } m) return;
            tracks.Add(m.Track.Id);
            keys.Add(TrackMatcher.NaturalKey(m.Track));
            keys.Add(ItemKeys.Track(m.Track.Id));
        }
        names.UnionWith(listens.Names);
        foreach (var r in listens.Entries) Refer(r);
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
        Reserve(_userIds, "users", names.Count(n => !_users.ContainsKey(n)));
        Reserve(_itemIds, "items", entryKeys.Count(k => !_items.ContainsKey(k))); // at most one new item an entry
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

    /// <summary>An id from the table's identity sequence: of those <see cref="Reserve"/> took, else of a block of
    /// <see cref="IdBlock"/>.</summary>
    private long NextId(Queue<long> ids, string table)
    {
        if (ids.Count == 0) Reserve(ids, table, IdBlock);
        return ids.Dequeue();
    }

    /// <summary>Makes <paramref name="ids"/> hold at least <paramref name="count"/> ids of the table's sequence (one
    /// round trip; ids left unused are gaps, as a rolled-back insert leaves). The sequence is looked up once: without
    /// <c>OFFSET 0</c> the planner folds the subquery into the select list and looks the sequence up again for every
    /// id (50 000 ids: 200–240 ms against 31 ms, psql on this machine).</summary>
    private void Reserve(Queue<long> ids, string table, int count)
    {
        if (ids.Count >= count) return;
        using var cmd = Command($"SELECT nextval(s) FROM (SELECT pg_get_serial_sequence('{table}', 'id')::regclass OFFSET 0) AS q (s), generate_series(1, @n)",
            ("n", count - ids.Count));
        using var r = cmd.ExecuteReader();
        while (r.Read()) ids.Enqueue(r.GetInt64(0));
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
