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

    /// <summary>Every user, by name.</summary>
    public IReadOnlyList<UserSummary> ListUsers()
    {
        using var cmd = Command("""
            SELECT u.id, u.name,
                   COUNT(i.id) FILTER (WHERE i.count > 0),
                   COALESCE(SUM(i.count), 0),
                   COUNT(DISTINCT i.item_id) FILTER (WHERE i.count > 0),
                   COUNT(i.id) FILTER (WHERE i.count = 0),
                   (SELECT COUNT(*) FROM playlists p WHERE p.user_id = u.id),
                   MIN(i.timestamp_unix_s), MAX(i.timestamp_unix_s)
            FROM users u LEFT JOIN interactions i ON i.user_id = u.id
            GROUP BY u.id ORDER BY u.name
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<UserSummary>();
        while (r.Read())
        {
            list.Add(new UserSummary(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
                r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(7)),
                r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(8))));
        }
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
