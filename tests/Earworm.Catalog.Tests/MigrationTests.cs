using Earworm.Testing;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Tests;

public class MigrationTests
{
    /// <summary>A guard, not a proof: the race (two openers reading version 0, the second re-running a step) is rare
    /// enough that this passed without the fix too; the fix is reading the version again under the write lock.</summary>
    [Fact]
    public void SeveralConnectionsOpeningANewCatalogAtOnceAllSeeTheLatestSchema()
    {
        using var dir = new TempDirectory();
        for (int round = 0; round < 5; round++)
        {
            var path = dir.File($"c{round}.db");
            var opened = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ =>
            {
                using var c = CatalogStore.Open(path);
                return c.SchemaVersion;
            }).ToList();
            Assert.All(opened, v => Assert.Equal(Migrations.Latest, v));
        }
    }

    [Fact]
    public void ImpressionsLoggedARowATrackBecomeListsOfOneUnderTheirIdsWithEveryNumberExact()
    {
        using var dir = new TempDirectory();
        var path = dir.File("catalog.db");
        double third = 1.0 / 3, tenth = 0.1, tiny = 1e-300;
        using (var db = new SqliteConnection($"Data Source={path}"))
        {
            db.Open();
            Migrations.Apply(db, upTo: 12);
            using var cmd = db.CreateCommand();
            cmd.CommandText = """
                INSERT INTO impressions (user_name, request_id, position, track_id, item_id, surface, policy, policy_version, propensity, score, context, created_at)
                VALUES ('alice', 'r1', 0, 10, NULL, 'recommend', 'greedy', 'cf 1', 1, $third, '{"count":2}', '2026-12-01T10:00:00.0000000+00:00'),
                       ('alice', 'r1', 1, 11, 70, 'recommend', 'greedy', 'cf 1', $third, NULL, '{"count":2}', '2026-12-01T10:00:00.0000000+00:00'),
                       ('bob', 'r2', 0, NULL, 77, 'discover', 'softmax', 'tau=1', $tiny, $tenth, NULL, '2026-12-01T10:00:01.0000000+00:00');
                INSERT INTO outcomes (user_name, track_id, kind, position_s, impression_id, created_at)
                VALUES ('alice', 11, 'skip', 3, 2, '2026-12-01T10:00:02.0000000+00:00');
                """;
            cmd.Parameters.AddWithValue("$third", third);
            cmd.Parameters.AddWithValue("$tenth", tenth);
            cmd.Parameters.AddWithValue("$tiny", tiny);
            cmd.ExecuteNonQuery();
        }
        using var c = CatalogStore.Open(path);
        Assert.Equal(Migrations.Latest, c.SchemaVersion);
        var read = c.ReadImpressions();
        Assert.Equal([1L, 2, 3], read.Select(r => r.Id));
        Assert.Equal(new Impression("alice", "r1", 0, 10, null, "recommend", "greedy", "cf 1", 1, third, """{"count":2}"""), read[0].Impression);
        Assert.Equal(new Impression("alice", "r1", 1, 11, 70, "recommend", "greedy", "cf 1", third, null, """{"count":2}"""), read[1].Impression);
        Assert.Equal(new Impression("bob", "r2", 0, null, 77, "discover", "softmax", "tau=1", tiny, tenth), read[2].Impression);
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:00:01Z", System.Globalization.CultureInfo.InvariantCulture), read[2].At);
        Assert.Equal(2, c.ReadOutcomes().Single().ImpressionId);

        // lists logged after the migration follow the old ids; an outcome still finds an impression logged before it
        Assert.Equal([4L, 5], c.AppendImpressions([new("alice", "r3", 0, 12, null, "recommend", "greedy", "cf 2", 0.5), new("alice", "r3", 1, 13, null, "recommend", "greedy", "cf 2", 0.5)]));
        Assert.Equal(1, c.AppendOutcome(new Outcome("alice", 10, OutcomeKind.Like)).ImpressionId);
        Assert.Equal(5, c.AppendOutcome(new Outcome("alice", 13, OutcomeKind.Play)).ImpressionId);
    }
}
