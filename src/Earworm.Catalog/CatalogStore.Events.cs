using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    // Durability: the catalog runs in WAL mode; a call returns after its transaction committed, so the event is in the
    // write-ahead log and survives the process being killed (synchronous = NORMAL leaves only an OS crash or power loss
    // able to take back the last commits).

    // The impression insert, prepared once on this connection: a writer that keeps its store open (the event log's)
    // appends list after list without parsing the statement again.
    private SqliteCommand? _appendImpression;

    public IReadOnlyList<long> AppendImpressions(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        foreach (var i in impressions) Check(i);
        if (impressions.Count == 0) return [];
        using var tx = _db.BeginTransaction();
        var cmd = _appendImpression ??= PrepareImpressionInsert();
        cmd.Transaction = tx;
        var p = cmd.Parameters;
        var ids = new long[impressions.Count];
        string now = Now();
        for (int k = 0; k < impressions.Count; k++)
        {
            var m = impressions[k];
            p[0].Value = m.User;
            p[1].Value = m.RequestId;
            p[2].Value = m.Position;
            p[3].Value = Db(m.TrackId);
            p[4].Value = Db(m.ItemId);
            p[5].Value = m.Surface;
            p[6].Value = m.Policy;
            p[7].Value = m.PolicyVersion;
            p[8].Value = m.Propensity;
            p[9].Value = Db(m.Score);
            p[10].Value = Db(m.Context);
            p[11].Value = now;
            cmd.ExecuteNonQuery();
        }
        // the rows of one write transaction get consecutive ids: an INTEGER PRIMARY KEY takes the largest id so far plus
        // one, and the log is append-only (no row is ever deleted); read once, not a row at a time
        long last = SQLitePCL.raw.sqlite3_last_insert_rowid(_db.Handle);
        for (int k = 0; k < ids.Length; k++) ids[k] = last - (ids.Length - 1 - k);
        tx.Commit();
        cmd.Transaction = null;
        return ids;
    }

    private SqliteCommand PrepareImpressionInsert()
    {
        var cmd = Command("""
            INSERT INTO impressions (user_name, request_id, position, track_id, item_id, surface, policy, policy_version, propensity, score, context, created_at)
            VALUES ($u, $r, $p, $t, $i, $s, $pol, $v, $pr, $sc, $c, $now)
            """);
        foreach (var n in new[] { "$u", "$r", "$p", "$t", "$i", "$s", "$pol", "$v", "$pr", "$sc", "$c", "$now" })
            cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        return cmd;
    }

    public OutcomeRecord AppendOutcome(Outcome outcome)
    {
        Check(outcome);
        using var tx = _db.BeginTransaction();
        using var cmd = Command("""
            INSERT INTO outcomes (user_name, track_id, kind, position_s, impression_id, created_at)
            VALUES ($u, $t, $k, $pos, (SELECT MAX(id) FROM (SELECT id, track_id FROM impressions WHERE user_name = $u ORDER BY id DESC LIMIT $window) AS recent
                                      WHERE track_id = $t), $now)
            RETURNING id, impression_id, created_at
            """, tx);
        foreach (var (n, v) in new (string, object?)[] { ("$u", outcome.User), ("$t", outcome.TrackId), ("$k", OutcomeName(outcome.Kind)),
                     ("$pos", outcome.PositionSeconds), ("$now", Now()), ("$window", OutcomeRecord.LinkWindow) })
            cmd.Parameters.AddWithValue(n, Db(v));
        OutcomeRecord record;
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            record = new OutcomeRecord(r.GetInt64(0), outcome, r.IsDBNull(1) ? null : r.GetInt64(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture));
        }
        tx.Commit();
        return record;
    }

    public IReadOnlyList<ImpressionRecord> ReadImpressions(long afterId = 0, int limit = 10_000)
    {
        using var cmd = Command("""
            SELECT id, user_name, request_id, position, track_id, item_id, surface, policy, policy_version, propensity, score, context, created_at
            FROM impressions WHERE id > $after ORDER BY id LIMIT $limit
            """);
        cmd.Parameters.AddWithValue("$after", afterId);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<ImpressionRecord>();
        while (r.Read())
            list.Add(new ImpressionRecord(r.GetInt64(0), new Impression(r.GetString(1), r.GetString(2), r.GetInt32(3),
                    r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.GetString(6), r.GetString(7), r.GetString(8),
                    r.GetDouble(9), r.IsDBNull(10) ? null : r.GetDouble(10), r.IsDBNull(11) ? null : r.GetString(11)),
                DateTimeOffset.Parse(r.GetString(12), CultureInfo.InvariantCulture)));
        return list;
    }

    public IReadOnlyList<OutcomeRecord> ReadOutcomes(long afterId = 0, int limit = 10_000)
    {
        using var cmd = Command("""
            SELECT id, user_name, track_id, kind, position_s, impression_id, created_at FROM outcomes WHERE id > $after ORDER BY id LIMIT $limit
            """);
        cmd.Parameters.AddWithValue("$after", afterId);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<OutcomeRecord>();
        while (r.Read())
            list.Add(new OutcomeRecord(r.GetInt64(0), new Outcome(r.GetString(1), r.GetInt64(2), ParseOutcome(r.GetString(3)),
                r.IsDBNull(4) ? null : r.GetDouble(4)), r.IsDBNull(5) ? null : r.GetInt64(5), DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture)));
        return list;
    }

    internal static string OutcomeName(OutcomeKind kind) => kind.ToString().ToLowerInvariant();

    internal static OutcomeKind ParseOutcome(string name) => Enum.Parse<OutcomeKind>(name, ignoreCase: true);

    /// <summary>What both stores refuse in an outcome.</summary>
    internal static void Check(Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentException.ThrowIfNullOrWhiteSpace(outcome.User);
        if (!Enum.IsDefined(outcome.Kind)) throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "unknown outcome kind");
        if (outcome.PositionSeconds is double s && !(s >= 0)) throw new ArgumentOutOfRangeException(nameof(outcome), s, "a position in a track is at least 0 s");
    }

    /// <summary>What both stores refuse in an impression, before anything of its list is written.</summary>
    internal static void Check(Impression i)
    {
        ArgumentNullException.ThrowIfNull(i);
        ArgumentException.ThrowIfNullOrWhiteSpace(i.User);
        ArgumentException.ThrowIfNullOrWhiteSpace(i.RequestId);
        ArgumentException.ThrowIfNullOrWhiteSpace(i.Surface);
        ArgumentException.ThrowIfNullOrWhiteSpace(i.Policy);
        ArgumentNullException.ThrowIfNull(i.PolicyVersion);
        if (!(i.Propensity > 0 && i.Propensity <= 1)) throw new ArgumentException($"propensity {i.Propensity} outside (0, 1]", nameof(i));
        if (i.Position < 0) throw new ArgumentException($"position {i.Position} is negative", nameof(i));
        if (i.TrackId is null && i.ItemId is null) throw new ArgumentException("an impression names a track or an item", nameof(i));
    }
}
