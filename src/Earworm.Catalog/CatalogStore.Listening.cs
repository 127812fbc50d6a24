using System.Globalization;

namespace Earworm.Catalog;

/// <summary>One listener and what the catalog holds of theirs. Interactions and items count positive feedback
/// (count &gt; 0); skips are the count-0 records.</summary>
public sealed record UserSummary(long Id, string Name, int Interactions, double Plays, int Items, int Skips, int Playlists,
    DateTimeOffset? FirstListen, DateTimeOffset? LastListen);

/// <summary>The last import, for <c>earworm status</c>.</summary>
public sealed record ImportRecord(long Id, string Format, string Path, string Sha256, int Rows, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, int InteractionsAdded, int Duplicates);

/// <summary>How much listening data the catalog holds.</summary>
public sealed record ListeningCounts(int Users, int Items, int ItemsMatched, int Interactions, double Plays, int Skips,
    int Playlists, int PlaylistEntries, int ItemTags, int Imports);

public sealed partial class CatalogStore
{
    public ListeningCounts ListeningCounts()
    {
        using var cmd = Command("""
            SELECT (SELECT COUNT(*) FROM users),
                   (SELECT COUNT(*) FROM items),
                   (SELECT COUNT(*) FROM items WHERE track_id IS NOT NULL),
                   (SELECT COUNT(*) FROM interactions WHERE count > 0),
                   (SELECT COALESCE(SUM(count), 0) FROM interactions),
                   (SELECT COUNT(*) FROM interactions WHERE count = 0),
                   (SELECT COUNT(*) FROM playlists),
                   (SELECT COUNT(*) FROM playlist_entries),
                   (SELECT COUNT(*) FROM item_tags),
                   (SELECT COUNT(*) FROM imports)
            """);
        using var r = cmd.ExecuteReader();
        r.Read();
        return new ListeningCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4), r.GetInt32(5),
            r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9));
    }

    /// <summary>Every user, by name (<see cref="NameOrder"/>), with their totals. The interactions are aggregated in one pass and then joined: a join of
    /// users to interactions has no index on the user alone and scans the table once per user (7 s for Last.fm 2K).</summary>
    public IReadOnlyList<UserSummary> ListUsers()
    {
        using var cmd = Command("""
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
                       MIN(CAST(strftime('%s', created_at) AS INTEGER)) AS first, MAX(CAST(strftime('%s', created_at) AS INTEGER)) AS last
                FROM feedback WHERE kind IN ('play', 'skip') GROUP BY user_id),
            lists AS (SELECT user_id, COUNT(*) AS n FROM playlists GROUP BY user_id)
            SELECT u.id, u.name, COALESCE(l.interactions, 0), COALESCE(l.plays, 0) + COALESCE(h.plays, 0), COALESCE(l.items, 0),
                   COALESCE(l.skips, 0) + COALESCE(h.skips, 0), COALESCE(p.n, 0),
                   CASE WHEN l.first IS NULL THEN h.first WHEN h.first IS NULL THEN l.first ELSE MIN(l.first, h.first) END,
                   CASE WHEN l.last IS NULL THEN h.last WHEN h.last IS NULL THEN l.last ELSE MAX(l.last, h.last) END
            FROM users u LEFT JOIN listening l ON l.user_id = u.id LEFT JOIN heard h ON h.user_id = u.id
                         LEFT JOIN lists p ON p.user_id = u.id
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<UserSummary>();
        while (r.Read())
        {
            list.Add(new UserSummary(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
                r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(7)),
                r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(8))));
        }
        list.Sort((a, b) => NameOrder.Instance.Compare(a.Name, b.Name));
        return list;
    }

    /// <summary>The most recent import, if any.</summary>
    public ImportRecord? LastImport()
    {
        using var cmd = Command("SELECT id, format, path, sha256, rows, started_at, finished_at, interactions_added, duplicates FROM imports ORDER BY id DESC LIMIT 1");
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new ImportRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
            DateTimeOffset.Parse(r.GetString(5), CultureInfo.InvariantCulture),
            r.IsDBNull(6) ? null : DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture), r.GetInt32(7), r.GetInt32(8));
    }
}
