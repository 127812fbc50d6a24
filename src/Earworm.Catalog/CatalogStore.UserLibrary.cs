using System.Globalization;
using Earworm.Catalog.Import;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    /// <summary>The format of playlists made in apps (imported ones carry their file's format).</summary>
    public const string AppPlaylistFormat = "app";

    public void SetStar(string user, StarKind kind, string key, bool starred)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user, tx);
        using var cmd = Command(starred
            ? "INSERT INTO stars (user_id, kind, key, created_at) VALUES ($u, $k, $key, $now) ON CONFLICT DO NOTHING"
            : "DELETE FROM stars WHERE user_id = $u AND kind = $k AND key = $key", tx);
        cmd.Parameters.AddWithValue("$u", userId);
        cmd.Parameters.AddWithValue("$k", kind.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$now", Now());
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    public IReadOnlyList<StarRecord> StarsOf(string user)
    {
        using var cmd = Command("""
            SELECT s.kind, s.key, s.created_at FROM stars s JOIN users u ON u.id = s.user_id WHERE u.name = $n ORDER BY s.created_at DESC, s.key
            """);
        cmd.Parameters.AddWithValue("$n", user);
        using var r = cmd.ExecuteReader();
        var list = new List<StarRecord>();
        while (r.Read()) list.Add(new StarRecord(Enum.Parse<StarKind>(r.GetString(0), ignoreCase: true), r.GetString(1), Time(r.GetString(2))));
        return list;
    }

    public void SetRating(string user, RatedKind kind, string key, int rating)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentOutOfRangeException.ThrowIfNegative(rating);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rating, 5);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user, tx);
        using var cmd = Command(rating > 0
            ? """
              INSERT INTO ratings (user_id, kind, key, rating, rated_at) VALUES ($u, $k, $key, $r, $now)
              ON CONFLICT (user_id, kind, key) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at
              """
            : "DELETE FROM ratings WHERE user_id = $u AND kind = $k AND key = $key", tx);
        cmd.Parameters.AddWithValue("$u", userId);
        cmd.Parameters.AddWithValue("$k", kind.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$r", rating);
        cmd.Parameters.AddWithValue("$now", Now());
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    public IReadOnlyList<RatingRecord> RatingsOf(string user)
    {
        using var cmd = Command("""
            SELECT r.kind, r.key, r.rating, r.rated_at FROM ratings r JOIN users u ON u.id = r.user_id WHERE u.name = $n
            ORDER BY r.rated_at DESC, r.kind, r.key
            """);
        cmd.Parameters.AddWithValue("$n", user);
        using var r = cmd.ExecuteReader();
        var list = new List<RatingRecord>();
        while (r.Read()) list.Add(new RatingRecord(Enum.Parse<RatedKind>(r.GetString(0), ignoreCase: true), r.GetString(1), r.GetInt32(2), Time(r.GetString(3))));
        return list;
    }

    public IReadOnlyList<ListenerPlaylist> PlaylistsOf(string user) => Playlists("WHERE u.name = $n", ("$n", user));

    public ListenerPlaylist? FindPlaylist(long id) => Playlists("WHERE p.id = $id", ("$id", id)).FirstOrDefault();

    public IReadOnlyList<ListenerPlaylist> PublicPlaylists() => Playlists("WHERE p.public = $yes AND p.user_id IS NOT NULL", ("$yes", 1));

    public long CreatePlaylist(string user, string name, IReadOnlyList<long> trackIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(trackIds);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user, tx);
        using var cmd = Command("""
            INSERT INTO playlists (name, source_path, format, user_id, created_at, updated_at) VALUES ($name, $src, $f, $u, $now, $now) RETURNING id
            """, tx);
        cmd.Parameters.AddWithValue("$name", name ?? "");
        cmd.Parameters.AddWithValue("$src", $"{AppPlaylistFormat}:{Guid.NewGuid():N}"); // unique: apps may repeat names
        cmd.Parameters.AddWithValue("$f", AppPlaylistFormat);
        cmd.Parameters.AddWithValue("$u", userId);
        cmd.Parameters.AddWithValue("$now", Now());
        long id = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        WriteEntries(id, trackIds, tx);
        tx.Commit();
        return id;
    }

    public void UpdatePlaylist(long id, string? name, IReadOnlyList<long>? trackIds, string? comment = null, bool? isPublic = null)
    {
        using var tx = _db.BeginTransaction();
        using var cmd = Command("""
            UPDATE playlists SET name = COALESCE($name, name), comment = CASE WHEN $comment IS NULL THEN comment ELSE NULLIF($comment, '') END,
                public = COALESCE($public, public), updated_at = $now WHERE id = $id
            """, tx);
        cmd.Parameters.AddWithValue("$name", Db(name));
        cmd.Parameters.AddWithValue("$comment", Db(comment));
        cmd.Parameters.AddWithValue("$public", isPublic is { } p ? (p ? 1 : 0) : DBNull.Value);
        cmd.Parameters.AddWithValue("$now", Now());
        cmd.Parameters.AddWithValue("$id", id);
        if (cmd.ExecuteNonQuery() == 0) throw new CatalogException($"no playlist {id}");
        if (trackIds is not null)
        {
            using var clear = Command("DELETE FROM playlist_entries WHERE playlist_id = $id", tx);
            clear.Parameters.AddWithValue("$id", id);
            clear.ExecuteNonQuery();
            WriteEntries(id, trackIds, tx);
        }
        tx.Commit();
    }

    public bool DeletePlaylist(long id)
    {
        using var cmd = Command("DELETE FROM playlists WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteNonQuery() > 0;
    }

    /// <summary>The entries of a playlist, each track through its item (made when the track has none yet).</summary>
    private void WriteEntries(long playlistId, IReadOnlyList<long> trackIds, SqliteTransaction tx)
    {
        using var item = Command("""
            INSERT INTO items (key, track_id, artist, title, album, created_at)
            SELECT $key, t.id, t.artist, t.title, t.album, $now FROM tracks t WHERE t.id = $t AND NOT EXISTS (SELECT 1 FROM items WHERE track_id = $t)
            """, tx);
        using var find = Command("SELECT id FROM items WHERE track_id = $t", tx);
        using var add = Command("INSERT INTO playlist_entries (playlist_id, position, item_id) VALUES ($p, $pos, $i)", tx);
        for (int pos = 0; pos < trackIds.Count; pos++)
        {
            long t = trackIds[pos];
            item.Parameters.Clear();
            item.Parameters.AddWithValue("$key", ItemKeys.Track(t));
            item.Parameters.AddWithValue("$t", t);
            item.Parameters.AddWithValue("$now", Now());
            item.ExecuteNonQuery();
            find.Parameters.Clear();
            find.Parameters.AddWithValue("$t", t);
            var itemId = find.ExecuteScalar() ?? throw new CatalogException($"no track {t}");
            add.Parameters.Clear();
            add.Parameters.AddWithValue("$p", playlistId);
            add.Parameters.AddWithValue("$pos", pos);
            add.Parameters.AddWithValue("$i", itemId);
            add.ExecuteNonQuery();
        }
    }

    private List<ListenerPlaylist> Playlists(string where, (string Name, object Value) arg)
    {
        using var cmd = Command($"""
            SELECT p.id, p.name, u.name, p.format, p.created_at, p.updated_at, p.comment, p.public
            FROM playlists p LEFT JOIN users u ON u.id = p.user_id {where} ORDER BY p.name, p.id
            """);
        cmd.Parameters.AddWithValue(arg.Name, arg.Value);
        var list = new List<ListenerPlaylist>();
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                list.Add(new ListenerPlaylist(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                    Time(r.GetString(4)), Time(r.GetString(5)), []) { Comment = r.IsDBNull(6) ? null : r.GetString(6), Public = r.GetInt64(7) != 0 });
        using var entries = Command("""
            SELECT i.track_id FROM playlist_entries e JOIN items i ON i.id = e.item_id
            WHERE e.playlist_id = $p AND i.track_id IS NOT NULL ORDER BY e.position
            """);
        for (int k = 0; k < list.Count; k++)
        {
            entries.Parameters.Clear();
            entries.Parameters.AddWithValue("$p", list[k].Id);
            var tracks = new List<long>();
            using var r = entries.ExecuteReader();
            while (r.Read()) tracks.Add(r.GetInt64(0));
            list[k] = list[k] with { TrackIds = tracks };
        }
        return list;
    }

    public void SavePlayQueue(string user, IReadOnlyList<long> trackIds, long? currentTrackId, long positionMs, string? changedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(trackIds);
        ArgumentOutOfRangeException.ThrowIfNegative(positionMs);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user, tx);
        using var cmd = Command(trackIds.Count > 0
            ? """
              INSERT INTO play_queues (user_id, track_ids, current_id, position_ms, changed_at, changed_by) VALUES ($u, $t, $c, $p, $now, $by)
              ON CONFLICT (user_id) DO UPDATE SET track_ids = excluded.track_ids, current_id = excluded.current_id,
                  position_ms = excluded.position_ms, changed_at = excluded.changed_at, changed_by = excluded.changed_by
              """
            : "DELETE FROM play_queues WHERE user_id = $u", tx);
        cmd.Parameters.AddWithValue("$u", userId);
        cmd.Parameters.AddWithValue("$t", System.Text.Json.JsonSerializer.Serialize(trackIds));
        cmd.Parameters.AddWithValue("$c", currentTrackId is { } c ? c : DBNull.Value);
        cmd.Parameters.AddWithValue("$p", positionMs);
        cmd.Parameters.AddWithValue("$now", Now());
        cmd.Parameters.AddWithValue("$by", changedBy is null ? DBNull.Value : changedBy);
        cmd.ExecuteNonQuery();
        tx.Commit();
    }

    public PlayQueueRecord? PlayQueueOf(string user)
    {
        using var cmd = Command("""
            SELECT q.track_ids, q.current_id, q.position_ms, q.changed_at, q.changed_by FROM play_queues q JOIN users u ON u.id = q.user_id
            WHERE u.name = $n
            """);
        cmd.Parameters.AddWithValue("$n", user);
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new PlayQueueRecord(System.Text.Json.JsonSerializer.Deserialize<long[]>(r.GetString(0)) ?? [], r.IsDBNull(1) ? null : r.GetInt64(1),
                r.GetInt64(2), Time(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4))
            : null;
    }
}
