using System.Globalization;

namespace Earworm.Catalog;

/// <summary>What a listener said about a track while listening.</summary>
public enum FeedbackKind { Play, Like, Dislike, Skip }

public sealed record FeedbackRecord(long Id, string User, long TrackId, FeedbackKind Kind, string? Context, DateTimeOffset At);

public sealed partial class CatalogStore
{
    /// <summary>Records a listener's reaction to a track (the user is created when new).</summary>
    public long RecordFeedback(string user, long trackId, FeedbackKind kind, string? context = null, DateTimeOffset? at = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user, tx);
        using var f = Command("""
            INSERT INTO feedback (user_id, track_id, kind, context, created_at) VALUES ($u, $t, $k, $c, $now) RETURNING id
            """, tx);
        foreach (var (n, v) in new (string, object?)[] { ("$u", userId), ("$t", trackId),
                     ("$k", kind.ToString().ToLowerInvariant()), ("$c", context),
                     ("$now", at is { } when ? when.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : Now()) })
            f.Parameters.AddWithValue(n, Db(v));
        long id = Convert.ToInt64(f.ExecuteScalar(), CultureInfo.InvariantCulture);
        tx.Commit();
        return id;
    }

    /// <summary>A user's feedback, newest first (by when it happened, then as recorded).</summary>
    public IReadOnlyList<FeedbackRecord> FeedbackOf(string user, int limit = 1000)
    {
        using var cmd = Command("""
            SELECT f.id, u.name, f.track_id, f.kind, f.context, f.created_at FROM feedback f JOIN users u ON u.id = f.user_id
            WHERE u.name = $n ORDER BY f.created_at DESC, f.id DESC LIMIT $limit
            """);
        cmd.Parameters.AddWithValue("$n", user);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<FeedbackRecord>();
        while (r.Read())
            list.Add(new FeedbackRecord(r.GetInt64(0), r.GetString(1), r.GetInt64(2),
                Enum.Parse<FeedbackKind>(r.GetString(3), ignoreCase: true), r.IsDBNull(4) ? null : r.GetString(4),
                DateTimeOffset.Parse(r.GetString(5), CultureInfo.InvariantCulture)));
        return list;
    }

    public IReadOnlySet<long> TracksWithFeedback(string user, FeedbackKind kind)
    {
        using var cmd = Command("""
            SELECT DISTINCT f.track_id FROM feedback f WHERE f.kind = $k AND f.user_id = (SELECT id FROM users WHERE name = $n)
            """);
        cmd.Parameters.AddWithValue("$n", user);
        cmd.Parameters.AddWithValue("$k", kind.ToString().ToLowerInvariant());
        using var r = cmd.ExecuteReader();
        var tracks = new HashSet<long>();
        while (r.Read()) tracks.Add(r.GetInt64(0));
        return tracks;
    }

    public int RetractFeedback(string user, long trackId, FeedbackKind kind)
    {
        using var cmd = Command("""
            DELETE FROM feedback WHERE track_id = $t AND kind = $k AND user_id = (SELECT id FROM users WHERE name = $n)
            """);
        cmd.Parameters.AddWithValue("$n", user);
        cmd.Parameters.AddWithValue("$t", trackId);
        cmd.Parameters.AddWithValue("$k", kind.ToString().ToLowerInvariant());
        return cmd.ExecuteNonQuery();
    }

    public IReadOnlyDictionary<long, double> PlayCounts()
    {
        using var cmd = Command("""
            SELECT track_id, SUM(n) FROM (
                SELECT track_id, COUNT(*) AS n FROM feedback WHERE kind = 'play' GROUP BY track_id
                UNION ALL
                SELECT i.track_id, SUM(x.count) FROM interactions x JOIN items i ON i.id = x.item_id
                WHERE i.track_id IS NOT NULL AND x.count > 0 GROUP BY i.track_id)
            GROUP BY track_id
            """);
        using var r = cmd.ExecuteReader();
        var counts = new Dictionary<long, double>();
        while (r.Read()) counts[r.GetInt64(0)] = r.GetDouble(1);
        return counts;
    }
}
