using Npgsql;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    // Durability: each append commits its transaction with synchronous_commit on (SET LOCAL), whatever the server's
    // setting, so the call returns only once the server has flushed the commit to its write-ahead log: an acknowledged
    // event survives the Earworm process and the database server being killed. Imports may run with asynchronous
    // commits; the event log never does.
    private const string DurableCommit = "SET LOCAL synchronous_commit TO on";

    public IReadOnlyList<long> AppendImpressions(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        foreach (var i in impressions) CatalogStore.Check(i);
        if (impressions.Count == 0) return [];
        using var tx = _db.BeginTransaction();
        Execute(DurableCommit);
        // One statement for the whole list; rows are inserted in the list's order (ORDER BY n), so their identities
        // ascend with it.
        var ids = Rows("""
            INSERT INTO impressions (user_name, request_id, position, track_id, item_id, surface, policy, policy_version, propensity, score, context, created_at)
            SELECT u, r, p, t, i, s, pol, v, pr, sc, c, @now
            FROM unnest(@u::text[], @r::text[], @p::integer[], @t::bigint[], @i::bigint[], @s::text[], @pol::text[], @v::text[],
                        @pr::double precision[], @sc::double precision[], @c::text[]) WITH ORDINALITY AS x (u, r, p, t, i, s, pol, v, pr, sc, c, n)
            ORDER BY n
            RETURNING id
            """, r => r.GetInt64(0),
            ("u", impressions.Select(m => m.User).ToArray()), ("r", impressions.Select(m => m.RequestId).ToArray()),
            ("p", impressions.Select(m => m.Position).ToArray()), ("t", impressions.Select(m => m.TrackId).ToArray()),
            ("i", impressions.Select(m => m.ItemId).ToArray()), ("s", impressions.Select(m => m.Surface).ToArray()),
            ("pol", impressions.Select(m => m.Policy).ToArray()), ("v", impressions.Select(m => m.PolicyVersion).ToArray()),
            ("pr", impressions.Select(m => m.Propensity).ToArray()), ("sc", impressions.Select(m => m.Score).ToArray()),
            ("c", impressions.Select(m => m.Context).ToArray()), ("now", Now()));
        tx.Commit();
        ids.Sort();
        return ids;
    }

    public OutcomeRecord AppendOutcome(Outcome outcome)
    {
        CatalogStore.Check(outcome);
        using var tx = _db.BeginTransaction();
        Execute(DurableCommit);
        var record = Rows("""
            INSERT INTO outcomes (user_name, track_id, kind, position_s, impression_id, created_at)
            VALUES (@u, @t, @k, @pos, (SELECT MAX(id) FROM (SELECT id, track_id FROM impressions WHERE user_name = @u ORDER BY id DESC LIMIT @window) AS recent
                                      WHERE track_id = @t), @now)
            RETURNING id, impression_id, created_at
            """, r => new OutcomeRecord(r.GetInt64(0), outcome, r.IsDBNull(1) ? null : r.GetInt64(1), Time(r, 2)),
            ("u", outcome.User), ("t", outcome.TrackId), ("k", CatalogStore.OutcomeName(outcome.Kind)), ("pos", outcome.PositionSeconds),
            ("now", Now()), ("window", OutcomeRecord.LinkWindow)).Single();
        tx.Commit();
        return record;
    }

    public IReadOnlyList<ImpressionRecord> ReadImpressions(long afterId = 0, int limit = 10_000) => Rows("""
        SELECT id, user_name, request_id, position, track_id, item_id, surface, policy, policy_version, propensity, score, context, created_at
        FROM impressions WHERE id > @after ORDER BY id LIMIT @limit
        """, r => new ImpressionRecord(r.GetInt64(0), new Impression(r.GetString(1), r.GetString(2), Int(r, 3), MaybeLong(r, 4), MaybeLong(r, 5),
            r.GetString(6), r.GetString(7), r.GetString(8), Real(r, 9), r.IsDBNull(10) ? null : Real(r, 10), Text(r, 11)), Time(r, 12)),
        ("after", afterId), ("limit", limit));

    public IReadOnlyList<OutcomeRecord> ReadOutcomes(long afterId = 0, int limit = 10_000) => Rows("""
        SELECT id, user_name, track_id, kind, position_s, impression_id, created_at FROM outcomes WHERE id > @after ORDER BY id LIMIT @limit
        """, r => new OutcomeRecord(r.GetInt64(0), new Outcome(r.GetString(1), r.GetInt64(2), CatalogStore.ParseOutcome(r.GetString(3)),
            r.IsDBNull(4) ? null : Real(r, 4)), MaybeLong(r, 5), Time(r, 6)),
        ("after", afterId), ("limit", limit));

    private static long? MaybeLong(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
