using System.Buffers;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    // Durability: the catalog runs in WAL mode; a call returns after its transaction committed, so the event is in the
    // write-ahead log and survives the process being killed (synchronous = NORMAL leaves only an OS crash or power loss
    // able to take back the last commits).

    // A shown list is one row of shown_lists (schema step 13), its tracks in one column (ShownLists), not a row a track:
    // ten rows and ten entries of the listener's index took twice the CPU of one row (0.092 against 0.047 ms a list of
    // ten, a commit each). Its tracks' impression ids are the row's first id and those after it.

    // The list insert and the next id, prepared once on this connection: a writer that keeps its store open (the event
    // log's) appends list after list without parsing the statements again.
    private SqliteCommand? _appendList;
    private SqliteCommand? _nextImpressionId;
    private ArrayBufferWriter<byte>? _itemsBuffer;

    public IReadOnlyList<long> AppendImpressions(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        foreach (var i in impressions) Check(i);
        if (impressions.Count == 0) return [];
        using var tx = _db.BeginTransaction();
        var next = _nextImpressionId ??= Command("SELECT COALESCE((SELECT first_id + n FROM shown_lists ORDER BY first_id DESC LIMIT 1), 1)");
        next.Transaction = tx;
        long first = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
        next.Transaction = null;
        var cmd = _appendList ??= PrepareListInsert();
        cmd.Transaction = tx;
        var p = cmd.Parameters;
        string now = Now();
        // consecutive impressions of one list (the writer's group commit hands several lists over at once) form one row
        for (int start = 0, end; start < impressions.Count; start = end)
        {
            var m = impressions[start];
            for (end = start + 1; end < impressions.Count && ShownLists.SameList(m, impressions[end]);) end++;
            p[0].Value = first + start;
            p[1].Value = end - start;
            p[2].Value = m.User;
            p[3].Value = m.RequestId;
            p[4].Value = m.Surface;
            p[5].Value = m.Policy;
            p[6].Value = m.PolicyVersion;
            p[7].Value = Db(m.Context);
            p[8].Value = now;
            p[9].Value = ShownLists.Encode(impressions, start, end - start, _itemsBuffer ??= new ArrayBufferWriter<byte>(1024));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        cmd.Transaction = null;
        var ids = new long[impressions.Count];
        for (int k = 0; k < ids.Length; k++) ids[k] = first + k;
        return ids;
    }

    private SqliteCommand PrepareListInsert()
    {
        var cmd = Command("""
            INSERT INTO shown_lists (first_id, n, user_name, request_id, surface, policy, policy_version, context, created_at, items)
            VALUES ($f, $n, $u, $r, $s, $pol, $v, $c, $now, $items)
            """);
        foreach (var n in new[] { "$f", "$n", "$u", "$r", "$s", "$pol", "$v", "$c", "$now", "$items" })
            cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        return cmd;
    }

    public OutcomeRecord AppendOutcome(Outcome outcome)
    {
        Check(outcome);
        using var tx = _db.BeginTransaction();
        long? shown = LatestShowing(outcome.User, outcome.TrackId, tx);
        using var cmd = Command("""
            INSERT INTO outcomes (user_name, track_id, kind, position_s, impression_id, created_at)
            VALUES ($u, $t, $k, $pos, $shown, $now)
            RETURNING id, created_at
            """, tx);
        foreach (var (n, v) in new (string, object?)[] { ("$u", outcome.User), ("$t", outcome.TrackId), ("$k", OutcomeName(outcome.Kind)),
                     ("$pos", outcome.PositionSeconds), ("$shown", shown), ("$now", Now()) })
            cmd.Parameters.AddWithValue(n, Db(v));
        OutcomeRecord record;
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            record = new OutcomeRecord(r.GetInt64(0), outcome, shown, DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture));
        }
        tx.Commit();
        return record;
    }

    /// <summary>The id of the latest impression of <paramref name="track"/> to <paramref name="user"/> among their latest
    /// <see cref="OutcomeRecord.LinkWindow"/>; null when it is not there. Reads the listener's lists newest first and
    /// stops at the first showing (usually the latest list); a list that cannot hold the track is skipped unread.</summary>
    private long? LatestShowing(string user, long track, SqliteTransaction tx)
    {
        using var cmd = Command("SELECT first_id, n, items FROM shown_lists WHERE user_name = $u ORDER BY first_id DESC", tx);
        cmd.Parameters.AddWithValue("$u", user);
        using var r = cmd.ExecuteReader();
        string needle = string.Create(CultureInfo.InvariantCulture, $",{track},");
        for (int seen = 0; seen < OutcomeRecord.LinkWindow && r.Read();)
        {
            long first = r.GetInt64(0);
            int n = r.GetInt32(1);
            string items = r.GetString(2);
            if (items.Contains(needle, StringComparison.Ordinal))
            {
                var decoded = ShownLists.Decode(items, first);
                // the listener's window may end inside this list: only its last (window - seen) tracks are in it
                for (int k = decoded.Count - 1; k >= Math.Max(0, decoded.Count - (OutcomeRecord.LinkWindow - seen)); k--)
                    if (decoded[k].TrackId == track) return first + k;
            }
            seen += n;
        }
        return null;
    }

    public IReadOnlyList<ImpressionRecord> ReadImpressions(long afterId = 0, int limit = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        // from the list holding the impression after afterId: a list's first id is at most afterId + 1, and each list
        // holds one impression or more, so `limit` lists hold the impressions asked for
        using var cmd = Command("""
            SELECT first_id, n, user_name, request_id, surface, policy, policy_version, context, created_at, items
            FROM shown_lists
            WHERE first_id >= COALESCE((SELECT MAX(first_id) FROM shown_lists WHERE first_id <= $after + 1), 0)
            ORDER BY first_id LIMIT $limit
            """);
        cmd.Parameters.AddWithValue("$after", afterId);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<ImpressionRecord>();
        while (list.Count < limit && r.Read())
        {
            long first = r.GetInt64(0);
            if (first + r.GetInt32(1) - 1 <= afterId) continue;
            string user = r.GetString(2), request = r.GetString(3), surface = r.GetString(4), policy = r.GetString(5), version = r.GetString(6);
            string? context = r.IsDBNull(7) ? null : r.GetString(7);
            var at = DateTimeOffset.Parse(r.GetString(8), CultureInfo.InvariantCulture);
            var items = ShownLists.Decode(r.GetString(9), first);
            for (int k = 0; k < items.Count && list.Count < limit; k++)
            {
                if (first + k <= afterId) continue;
                var i = items[k];
                list.Add(new ImpressionRecord(first + k, new Impression(user, request, i.Position, i.TrackId, i.ItemId, surface, policy, version,
                    i.Propensity, i.Score, i.OwnContext ? i.Context : context), at));
            }
        }
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
