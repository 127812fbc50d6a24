using Earworm.Testing;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Tests;

public class EventLogStoreTests
{
    [Theory]
    [InlineData("UPDATE shown_lists SET items = '[[0,5,null,0.5,null]]'")]
    [InlineData("DELETE FROM shown_lists")]
    [InlineData("UPDATE outcomes SET kind = 'like'")]
    [InlineData("DELETE FROM outcomes")]
    public void TheEventLogRefusesToChangeOrForget(string sql)
    {
        using var dir = new TempDirectory();
        var path = dir.File("catalog.db");
        using (var c = CatalogStore.Open(path))
        {
            c.AppendImpressions([new Impression("alice", "r1", 0, 5, null, "recommend", "greedy", "1", 1)]);
            c.AppendOutcome(new Outcome("alice", 5, OutcomeKind.Skip, 3));
        }
        using (var db = new SqliteConnection($"Data Source={path}"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            var e = Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
            Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
        }
        using (var c = CatalogStore.Open(path))
        {
            Assert.Equal(1, c.ReadImpressions().Single().Impression.Propensity);
            Assert.Equal(OutcomeKind.Skip, c.ReadOutcomes().Single().Outcome.Kind);
        }
    }
}
