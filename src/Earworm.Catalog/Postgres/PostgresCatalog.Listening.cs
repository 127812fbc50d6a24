using System.Globalization;
using Earworm.Catalog.Import;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    /// <summary>As <see cref="CatalogStore.Import"/>: all or nothing, idempotent, the same matching rules; interactions
    /// stream in with binary COPY (<see cref="PostgresImportWriter"/>).</summary>
    public IReadOnlyList<ImportOutcome> Import(IReadOnlyList<ImportSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var matcher = new TrackMatcher(ListTracks(), LibraryWalker.Canonical);
        matcher.CheckTrackIds(sources);
        using var tx = _db.BeginTransaction();
        // an import is all or nothing and idempotent: a commit lost to a crash of the server's machine is an import to
        // run again, so it need not wait for the write-ahead log's flush (the event log's appends do)
        Execute("SET LOCAL synchronous_commit TO off");
        var writer = new PostgresImportWriter(_db, matcher, Now());
        var outcomes = sources.Select(writer.Write).ToList();
        tx.Commit();
        return outcomes;
    }

    public ListeningCounts ListeningCounts() => Rows("""
        SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM items WHERE track_id IS NOT NULL),
               (SELECT COUNT(*) FROM interactions WHERE count > 0), (SELECT COALESCE(SUM(count), 0) FROM interactions),
               (SELECT COUNT(*) FROM interactions WHERE count = 0), (SELECT COUNT(*) FROM playlists),
               (SELECT COUNT(*) FROM playlist_entries), (SELECT COUNT(*) FROM item_tags), (SELECT COUNT(*) FROM imports)
        """, r => new ListeningCounts(Int(r, 0), Int(r, 1), Int(r, 2), Int(r, 3), Real(r, 4), Int(r, 5), Int(r, 6), Int(r, 7), Int(r, 8), Int(r, 9)))[0];

    public IReadOnlyList<UserSummary> ListUsers() => [.. Rows("""
        WITH listening AS (
            SELECT user_id,
                   COUNT(*) FILTER (WHERE count > 0) AS interactions,
                   SUM(count) AS plays,
                   COUNT(DISTINCT item_id) FILTER (WHERE count > 0) AS items,
                   COUNT(*) FILTER (WHERE count = 0) AS skips,
                   MIN(timestamp_unix_s) AS first, MAX(timestamp_unix_s) AS last
            FROM interactions GROUP BY user_id),
        heard AS (
            SELECT user_id, COUNT(*) FILTER (WHERE kind = 'play') AS plays, COUNT(*) FILTER (WHERE kind = 'skip') AS skips,
                   MIN(EXTRACT(EPOCH FROM created_at))::bigint AS first, MAX(EXTRACT(EPOCH FROM created_at))::bigint AS last
            FROM feedback WHERE kind IN ('play', 'skip') GROUP BY user_id),
        lists AS (SELECT user_id, COUNT(*) AS n FROM playlists GROUP BY user_id)
        SELECT u.id, u.name, COALESCE(l.interactions, 0), COALESCE(l.plays, 0) + COALESCE(h.plays, 0), COALESCE(l.items, 0),
               COALESCE(l.skips, 0) + COALESCE(h.skips, 0), COALESCE(p.n, 0), LEAST(l.first, h.first), GREATEST(l.last, h.last)
        FROM users u LEFT JOIN listening l ON l.user_id = u.id LEFT JOIN heard h ON h.user_id = u.id LEFT JOIN lists p ON p.user_id = u.id
        """, r => new UserSummary(r.GetInt64(0), r.GetString(1), Int(r, 2), Real(r, 3), Int(r, 4), Int(r, 5), Int(r, 6),
            r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(7)),
            r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(8)))).OrderBy(u => u.Name, NameOrder.Instance)];

    public ImportRecord? LastImport() => Rows(
        "SELECT id, format, path, sha256, rows, started_at, finished_at, interactions_added, duplicates FROM imports ORDER BY id DESC LIMIT 1",
        r => new ImportRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), Time(r, 5), MaybeTime(r, 6),
            r.GetInt32(7), r.GetInt32(8))).FirstOrDefault();

    /// <summary>Every listening record, by user, then time (aggregates first), then id; streamed in binary.</summary>
    public IReadOnlyList<ListeningRecord> LoadListening() => Rows("""
        SELECT user_id, item_id, count, timestamp_unix_s FROM interactions
        ORDER BY user_id, timestamp_unix_s IS NOT NULL, timestamp_unix_s, id
        """, r => new ListeningRecord(r.GetInt64(0), r.GetInt64(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetInt64(3)));

    public IReadOnlyList<PlaylistItems> LoadPlaylists() => Rows("""
        SELECT p.id, p.name, p.user_id, array_agg(e.item_id ORDER BY e.position)
        FROM playlists p JOIN playlist_entries e ON e.playlist_id = p.id GROUP BY p.id ORDER BY p.id
        """, r => new PlaylistItems(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetFieldValue<long[]>(3)));

    public IReadOnlyDictionary<long, ItemInfo> LoadItems() => Rows("SELECT id, key, track_id, artist, title, location, album FROM items",
        r => new ItemInfo(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), Text(r, 3), Text(r, 4), Text(r, 5), Text(r, 6)))
        .ToDictionary(i => i.Id);

    public long? FindUserId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ScalarLong("SELECT id FROM users WHERE name = @n", ("n", name));
    }

    public long? ItemOfTrack(long trackId) => ScalarLong("SELECT id FROM items WHERE track_id = @t", ("t", trackId));

    public bool UserExists(string user) => Scalar("SELECT 1 FROM users WHERE name = @n", ("n", user)) is not null;

    /// <summary>As <see cref="CatalogStore.RecentTracksOf"/>: played or liked feedback first, newest first, then imported
    /// listening by time, then by count.</summary>
    public IReadOnlyList<long> RecentTracksOf(string user, int limit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var seen = new HashSet<long>();
        var list = new List<long>();
        using var cmd = Command("""
            SELECT track_id FROM (
                SELECT f.track_id AS track_id, 1 AS source, f.id AS at, 0::double precision AS count FROM feedback f JOIN users u ON u.id = f.user_id
                WHERE u.name = @n AND f.kind IN ('play', 'like')
                UNION ALL
                SELECT i.track_id, 2, COALESCE(x.timestamp_unix_s, -1), x.count FROM interactions x
                JOIN users u ON u.id = x.user_id JOIN items i ON i.id = x.item_id
                WHERE u.name = @n AND i.track_id IS NOT NULL AND x.count > 0) heard
            JOIN tracks t ON t.id = heard.track_id WHERE t.status = 'analysed'
            ORDER BY source, at DESC, count DESC, track_id
            """, ("n", user));
        using var r = cmd.ExecuteReader();
        while (r.Read() && list.Count < limit)
            if (seen.Add(r.GetInt64(0))) list.Add(r.GetInt64(0));
        return list;
    }

    public string ListeningDataVersion() => Rows("""
        SELECT (SELECT COUNT(*) FROM interactions), (SELECT COALESCE(MAX(id), 0) FROM interactions),
               (SELECT COALESCE(SUM(count), 0) FROM interactions), (SELECT COUNT(*) FROM playlist_entries),
               (SELECT COALESCE(to_char(MAX(updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '') FROM playlists)
        """, r => string.Create(CultureInfo.InvariantCulture,
            $"i{r.GetInt64(0)}-m{r.GetInt64(1)}-s{Real(r, 2):R}-p{r.GetInt64(3)}-{r.GetString(4)}"))[0];

    // ---- feedback -----------------------------------------------------------------------------

    public long RecordFeedback(string user, long trackId, FeedbackKind kind, string? context = null, DateTimeOffset? at = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user);
        long id = ScalarLong("INSERT INTO feedback (user_id, track_id, kind, context, created_at) VALUES (@u, @t, @k, @c, @now) RETURNING id",
            ("u", userId), ("t", trackId), ("k", KindText(kind)), ("c", context), ("now", at?.UtcDateTime ?? Now()))!.Value;
        tx.Commit();
        return id;
    }

    public IReadOnlyList<FeedbackRecord> FeedbackOf(string user, int limit = 1000) => Rows("""
        SELECT f.id, u.name, f.track_id, f.kind, f.context, f.created_at FROM feedback f JOIN users u ON u.id = f.user_id
        WHERE u.name = @n ORDER BY f.created_at DESC, f.id DESC LIMIT @limit
        """, r => new FeedbackRecord(r.GetInt64(0), r.GetString(1), r.GetInt64(2), Enum.Parse<FeedbackKind>(r.GetString(3), ignoreCase: true),
            Text(r, 4), Time(r, 5)), ("n", user), ("limit", limit));

    public IReadOnlySet<long> TracksWithFeedback(string user, FeedbackKind kind) => Rows(
        "SELECT DISTINCT f.track_id FROM feedback f WHERE f.kind = @k AND f.user_id = (SELECT id FROM users WHERE name = @n)",
        r => r.GetInt64(0), ("n", user), ("k", KindText(kind))).ToHashSet();

    public int RetractFeedback(string user, long trackId, FeedbackKind kind) => Execute(
        "DELETE FROM feedback WHERE track_id = @t AND kind = @k AND user_id = (SELECT id FROM users WHERE name = @n)",
        ("n", user), ("t", trackId), ("k", KindText(kind)));

    public IReadOnlyDictionary<long, double> PlayCounts() => Rows("""
        SELECT track_id, SUM(n) FROM (
            SELECT track_id, COUNT(*)::double precision AS n FROM feedback WHERE kind = 'play' GROUP BY track_id
            UNION ALL
            SELECT i.track_id, SUM(x.count) FROM interactions x JOIN items i ON i.id = x.item_id
            WHERE i.track_id IS NOT NULL AND x.count > 0 GROUP BY i.track_id) plays
        GROUP BY track_id
        """, r => (r.GetInt64(0), Real(r, 1))).ToDictionary(x => x.Item1, x => x.Item2);

    private static string KindText(FeedbackKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The id of the listener called <paramref name="user"/>, created when new.</summary>
    private long EnsureUser(string user) => ScalarLong("""
        INSERT INTO users (name, created_at) VALUES (@n, @now) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id
        """, ("n", user), ("now", Now()))!.Value;
}
