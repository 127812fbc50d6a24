using System.Globalization;

namespace Earworm.Catalog;

/// <summary>One stored listening record as models read it: catalog user and item ids, the count (0 = a skip) and,
/// for an event, when (unix seconds; null for an aggregate count).</summary>
public readonly record struct ListeningRecord(long UserId, long ItemId, double Count, long? TimestampUnixSeconds);

/// <summary>An item as recommendations show it: its linked track (when it has audio) and what to call it.</summary>
public sealed record ItemInfo(long Id, string Key, long? TrackId, string? Artist, string? Title, string? Location, string? Album = null);

/// <summary>A playlist's items in order (catalog item ids), and its owner when it has one.</summary>
public sealed record PlaylistItems(long Id, string Name, long? UserId, long[] ItemIds);

public sealed partial class CatalogStore
{
    /// <summary>Every listening record (skips included, count 0), by user, then time (aggregates first), then id:
    /// the input of training and evaluation.</summary>
    public IReadOnlyList<ListeningRecord> LoadListening()
    {
        using var cmd = Command("""
            SELECT user_id, item_id, count, timestamp_unix_s FROM interactions
            ORDER BY user_id, timestamp_unix_s IS NOT NULL, timestamp_unix_s, id
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<ListeningRecord>();
        while (r.Read())
            list.Add(new ListeningRecord(r.GetInt64(0), r.GetInt64(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetInt64(3)));
        return list;
    }

    /// <summary>Every playlist with its entries in order.</summary>
    public IReadOnlyList<PlaylistItems> LoadPlaylists()
    {
        using var cmd = Command("""
            SELECT p.id, p.name, p.user_id, e.item_id FROM playlists p JOIN playlist_entries e ON e.playlist_id = p.id
            ORDER BY p.id, e.position
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<PlaylistItems>();
        long current = -1;
        string name = "";
        long? owner = null;
        var items = new List<long>();
        while (r.Read())
        {
            long id = r.GetInt64(0);
            if (id != current)
            {
                if (current >= 0) list.Add(new PlaylistItems(current, name, owner, [.. items]));
                current = id;
                name = r.GetString(1);
                owner = r.IsDBNull(2) ? null : r.GetInt64(2);
                items.Clear();
            }
            items.Add(r.GetInt64(3));
        }
        if (current >= 0) list.Add(new PlaylistItems(current, name, owner, [.. items]));
        return list;
    }

    /// <summary>Every item, by id.</summary>
    public IReadOnlyDictionary<long, ItemInfo> LoadItems()
    {
        using var cmd = Command("SELECT id, key, track_id, artist, title, location, album FROM items");
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<long, ItemInfo>();
        while (r.Read())
        {
            long id = r.GetInt64(0);
            map[id] = new ItemInfo(id, r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6));
        }
        return map;
    }

    /// <summary>The id of the user called <paramref name="name"/> (exact), or null.</summary>
    public long? FindUserId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var cmd = Command("SELECT id FROM users WHERE name = $n");
        cmd.Parameters.AddWithValue("$n", name);
        var v = cmd.ExecuteScalar();
        return v is null or DBNull ? null : Convert.ToInt64(v, CultureInfo.InvariantCulture);
    }

    /// <summary>The id of the item linked to a track, or null when the track has no listening identity yet.</summary>
    public long? ItemOfTrack(long trackId)
    {
        using var cmd = Command("SELECT id FROM items WHERE track_id = $t");
        cmd.Parameters.AddWithValue("$t", trackId);
        var v = cmd.ExecuteScalar();
        return v is null or DBNull ? null : Convert.ToInt64(v, CultureInfo.InvariantCulture);
    }
}
