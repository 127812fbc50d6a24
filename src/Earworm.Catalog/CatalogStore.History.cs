namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    /// <summary>The library tracks a user listened to most recently, newest first, each once: played or liked feedback
    /// and imported interactions with a count (timestamped ones by time; those without a time after, by count).</summary>
    public IReadOnlyList<long> RecentTracksOf(string user, int limit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        using var cmd = Command("""
            SELECT track_id FROM (
                SELECT f.track_id AS track_id, 1 AS source, f.id AS at, 0 AS count FROM feedback f JOIN users u ON u.id = f.user_id
                WHERE u.name = $n AND f.kind IN ('play', 'like')
                UNION ALL
                SELECT i.track_id, 2, COALESCE(x.timestamp_unix_s, -1), x.count FROM interactions x
                JOIN users u ON u.id = x.user_id JOIN items i ON i.id = x.item_id
                WHERE u.name = $n AND i.track_id IS NOT NULL AND x.count > 0)
            JOIN tracks t ON t.id = track_id WHERE t.status = 'analysed'
            ORDER BY source, at DESC, count DESC, track_id
            """);
        cmd.Parameters.AddWithValue("$n", user);
        using var r = cmd.ExecuteReader();
        var seen = new HashSet<long>();
        var list = new List<long>();
        while (r.Read() && list.Count < limit)
            if (seen.Add(r.GetInt64(0))) list.Add(r.GetInt64(0));
        return list;
    }

    /// <summary>Whether the catalog knows a listener by this name (from imports or feedback).</summary>
    public bool UserExists(string user)
    {
        using var cmd = Command("SELECT 1 FROM users WHERE name = $n");
        cmd.Parameters.AddWithValue("$n", user);
        return cmd.ExecuteScalar() is not null;
    }
}
