using Earworm.Catalog.Import;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    // ---- accounts and API keys ---------------------------------------------------------------

    public AccountRecord SaveAccount(string user, byte[] sealedPassword)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(sealedPassword);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user);
        Execute("""
            INSERT INTO accounts (user_id, sealed_password, created_at, updated_at) VALUES (@u, @p, @now, @now)
            ON CONFLICT (user_id) DO UPDATE SET sealed_password = excluded.sealed_password, updated_at = excluded.updated_at
            """, ("u", userId), ("p", sealedPassword), ("now", Now()));
        tx.Commit();
        return FindAccount(user)!;
    }

    public AccountRecord? FindAccount(string user) => Accounts("WHERE u.name = @n", user).FirstOrDefault();

    public IReadOnlyList<AccountRecord> ListAccounts() => Accounts("", null);

    public bool RemoveAccount(string user) =>
        Execute("DELETE FROM accounts WHERE user_id = (SELECT id FROM users WHERE name = @n)", ("n", user)) > 0;

    public ApiKeyRecord AddApiKey(string user, string keySha256, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keySha256);
        var account = FindAccount(user) ?? throw new CatalogException($"no account called '{user}'");
        long id = ScalarLong("INSERT INTO api_keys (user_id, key_sha256, label, created_at) VALUES (@u, @h, @l, @now) RETURNING id",
            ("u", account.UserId), ("h", keySha256), ("l", label ?? ""), ("now", Now()))!.Value;
        return ListApiKeys(user).Single(k => k.Id == id);
    }

    public IReadOnlyList<ApiKeyRecord> ListApiKeys(string? user = null) => Rows($"""
        SELECT k.id, u.name, k.key_sha256, k.label, k.created_at FROM api_keys k JOIN users u ON u.id = k.user_id
        {(user is null ? "" : "WHERE u.name = @n")} ORDER BY k.id
        """, r => new ApiKeyRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r, 4)), ("n", user));

    public bool RevokeApiKey(long id) => Execute("DELETE FROM api_keys WHERE id = @id", ("id", id)) > 0;

    private List<AccountRecord> Accounts(string where, string? user) => Rows($"""
        SELECT a.user_id, u.name, a.sealed_password, a.created_at, a.updated_at,
               (SELECT COUNT(*) FROM api_keys k WHERE k.user_id = a.user_id)
        FROM accounts a JOIN users u ON u.id = a.user_id {where} ORDER BY u.name COLLATE "C"
        """, r => new AccountRecord(r.GetInt64(0), r.GetString(1), r.GetFieldValue<byte[]>(2), Time(r, 3), Time(r, 4), Int(r, 5)), ("n", user));

    // ---- stars and listeners' playlists --------------------------------------------------------

    public void SetStar(string user, StarKind kind, string key, bool starred)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user);
        Execute(starred
            ? "INSERT INTO stars (user_id, kind, key, created_at) VALUES (@u, @k, @key, @now) ON CONFLICT DO NOTHING"
            : "DELETE FROM stars WHERE user_id = @u AND kind = @k AND key = @key",
            ("u", userId), ("k", kind.ToString().ToLowerInvariant()), ("key", key), ("now", Now()));
        tx.Commit();
    }

    public IReadOnlyList<StarRecord> StarsOf(string user) => Rows("""
        SELECT s.kind, s.key, s.created_at FROM stars s JOIN users u ON u.id = s.user_id WHERE u.name = @n
        ORDER BY s.created_at DESC, s.key COLLATE "C"
        """, r => new StarRecord(Enum.Parse<StarKind>(r.GetString(0), ignoreCase: true), r.GetString(1), Time(r, 2)), ("n", user));

    public void SetRating(string user, RatedKind kind, string key, int rating)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentOutOfRangeException.ThrowIfNegative(rating);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rating, 5);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user);
        Execute(rating > 0
            ? """
              INSERT INTO ratings (user_id, kind, key, rating, rated_at) VALUES (@u, @k, @key, @r, @now)
              ON CONFLICT (user_id, kind, key) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at
              """
            : "DELETE FROM ratings WHERE user_id = @u AND kind = @k AND key = @key",
            ("u", userId), ("k", kind.ToString().ToLowerInvariant()), ("key", key), ("r", rating), ("now", Now()));
        tx.Commit();
    }

    public IReadOnlyList<RatingRecord> RatingsOf(string user) => Rows("""
        SELECT r.kind, r.key, r.rating, r.rated_at FROM ratings r JOIN users u ON u.id = r.user_id WHERE u.name = @n
        ORDER BY r.rated_at DESC, r.kind, r.key COLLATE "C"
        """, r => new RatingRecord(Enum.Parse<RatedKind>(r.GetString(0), ignoreCase: true), r.GetString(1), r.GetInt32(2), Time(r, 3)), ("n", user));

    public IReadOnlyList<ListenerPlaylist> PlaylistsOf(string user) => Playlists("WHERE u.name = @n", ("n", user));

    public ListenerPlaylist? FindPlaylist(long id) => Playlists("WHERE p.id = @id", ("id", id)).FirstOrDefault();

    public long CreatePlaylist(string user, string name, IReadOnlyList<long> trackIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(trackIds);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user);
        long id = ScalarLong("""
            INSERT INTO playlists (name, source_path, format, user_id, created_at, updated_at) VALUES (@name, @src, @f, @u, @now, @now) RETURNING id
            """, ("name", name ?? ""), ("src", $"{CatalogStore.AppPlaylistFormat}:{Guid.NewGuid():N}"), ("f", CatalogStore.AppPlaylistFormat),
            ("u", userId), ("now", Now()))!.Value;
        WriteEntries(id, trackIds);
        tx.Commit();
        return id;
    }

    public void UpdatePlaylist(long id, string? name, IReadOnlyList<long>? trackIds, string? comment = null, bool? isPublic = null)
    {
        using var tx = _db.BeginTransaction();
        if (Execute("""
                UPDATE playlists SET name = COALESCE(@name, name), comment = CASE WHEN @comment::text IS NULL THEN comment ELSE NULLIF(@comment::text, '') END,
                    public = COALESCE(@public::boolean, public), updated_at = @now WHERE id = @id
                """, ("name", name), ("comment", comment), ("public", isPublic), ("now", Now()), ("id", id)) == 0)
            throw new CatalogException($"no playlist {id}");
        if (trackIds is not null)
        {
            Execute("DELETE FROM playlist_entries WHERE playlist_id = @id", ("id", id));
            WriteEntries(id, trackIds);
        }
        tx.Commit();
    }

    public bool DeletePlaylist(long id) => Execute("DELETE FROM playlists WHERE id = @id", ("id", id)) > 0;

    /// <summary>The entries of a playlist, each track through its item (made when the track has none yet).</summary>
    private void WriteEntries(long playlistId, IReadOnlyList<long> trackIds)
    {
        for (int pos = 0; pos < trackIds.Count; pos++)
        {
            long t = trackIds[pos];
            Execute("""
                INSERT INTO items (key, track_id, artist, title, album, created_at)
                SELECT @key, t.id, t.artist, t.title, t.album, @now FROM tracks t WHERE t.id = @t AND NOT EXISTS (SELECT 1 FROM items WHERE track_id = @t)
                """, ("key", ItemKeys.Track(t)), ("t", t), ("now", Now()));
            long item = ScalarLong("SELECT id FROM items WHERE track_id = @t", ("t", t)) ?? throw new CatalogException($"no track {t}");
            Execute("INSERT INTO playlist_entries (playlist_id, position, item_id) VALUES (@p, @pos, @i)", ("p", playlistId), ("pos", pos), ("i", item));
        }
    }

    private List<ListenerPlaylist> Playlists(string where, (string Name, object Value) arg) => Rows($"""
        SELECT p.id, p.name, u.name, p.format, p.created_at, p.updated_at,
               ARRAY(SELECT i.track_id FROM playlist_entries e JOIN items i ON i.id = e.item_id
                     WHERE e.playlist_id = p.id AND i.track_id IS NOT NULL ORDER BY e.position),
               p.comment, p.public
        FROM playlists p LEFT JOIN users u ON u.id = p.user_id {where} ORDER BY p.name COLLATE "C", p.id
        """, r => new ListenerPlaylist(r.GetInt64(0), r.GetString(1), Text(r, 2), r.GetString(3), Time(r, 4), Time(r, 5), r.GetFieldValue<long[]>(6))
        { Comment = Text(r, 7), Public = r.GetBoolean(8) },
        arg);

    public IReadOnlyList<ListenerPlaylist> PublicPlaylists() => Playlists("WHERE p.public = @public AND p.user_id IS NOT NULL", ("public", true));

    public void SavePlayQueue(string user, IReadOnlyList<long> trackIds, long? currentTrackId, long positionMs, string? changedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(trackIds);
        ArgumentOutOfRangeException.ThrowIfNegative(positionMs);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user);
        Execute(trackIds.Count > 0
            ? """
              INSERT INTO play_queues (user_id, track_ids, current_id, position_ms, changed_at, changed_by) VALUES (@u, @t, @c, @p, @now, @by)
              ON CONFLICT (user_id) DO UPDATE SET track_ids = excluded.track_ids, current_id = excluded.current_id,
                  position_ms = excluded.position_ms, changed_at = excluded.changed_at, changed_by = excluded.changed_by
              """
            : "DELETE FROM play_queues WHERE user_id = @u",
            ("u", userId), ("t", trackIds.ToArray()), ("c", currentTrackId), ("p", positionMs), ("now", Now()), ("by", changedBy));
        tx.Commit();
    }

    public PlayQueueRecord? PlayQueueOf(string user) => Rows("""
        SELECT q.track_ids, q.current_id, q.position_ms, q.changed_at, q.changed_by FROM play_queues q JOIN users u ON u.id = q.user_id
        WHERE u.name = @n
        """, r => new PlayQueueRecord(r.GetFieldValue<long[]>(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetInt64(2), Time(r, 3), Text(r, 4)),
        ("n", user)).FirstOrDefault();
}
