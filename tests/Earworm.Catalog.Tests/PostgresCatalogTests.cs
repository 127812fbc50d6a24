using Earworm.Catalog.Import;
using Earworm.Testing;

namespace Earworm.Catalog.Tests;

/// <summary>What only the PostgreSQL catalog has: addresses, a scan lock that holds across machines (a lock on the
/// server), and its schema made once however many open it at once.</summary>
public sealed class PostgresCatalogTests
{
    [Fact]
    public void AddressesAreReadAndShownWithoutThePassword()
    {
        var a = PostgresAddress.Parse("postgresql://ann:p%40ss@db.example:6543/music");
        Assert.Equal(("db.example", 6543, "ann", "music", "p@ss"), (a.Host, a.Port, a.User, a.Database, a.Password));
        Assert.Equal("postgresql://ann@db.example:6543/music", a.ToString());
        Assert.True(PostgresAddress.IsPostgres("POSTGRES://x@y/z"));
        Assert.False(PostgresAddress.IsPostgres("/var/lib/earworm/catalog.db"));
        var bad = Assert.Throws<CatalogException>(() => PostgresAddress.Parse("postgresql://ann:secret@db.example/"));
        Assert.DoesNotContain("secret", bad.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void OneScanAtATimeWhoeverAsks()
    {
        var address = PostgresServer.Instance.NewDatabase();
        using var one = PostgresCatalog.Open(address);
        using var two = PostgresCatalog.Open(address);
        var held = one.TryLockScan();
        Assert.NotNull(held);
        Assert.Null(two.TryLockScan());
        held!.Dispose();
        using var again = two.TryLockScan();
        Assert.NotNull(again);
    }

    [PostgresFact]
    public void ABulkImportBuildsTheInteractionsIndexesAgainAsTheSchemaMadeThem()
    {
        var address = PostgresServer.Instance.NewDatabase();
        using var catalog = PostgresCatalog.Open(address);
        var before = Indexes(address);
        Assert.Contains(before, d => d.Contains("interactions_event", StringComparison.Ordinal));
        var listens = Enumerable.Range(0, 500).Select(k => new Listen($"u{k % 9}", new ItemRef { SourceKey = $"csv:i{k % 31}" }, 1, 1_700_000_000L + k, k + 2)).ToList();
        var outcome = catalog.Import([new ImportSource(ImportFormat.Csv, "/synthetic/bulk.csv", "sha-bulk") { Rows = 500, Listens = listens }])[0];
        Assert.Equal(500, outcome.InteractionsAdded); // an empty table: loaded in bulk
        Assert.Equal(before, Indexes(address));
    }

    [PostgresFact]
    public void ABulkLoadTheServerRefusesPartWayLeavesTableAndIndexesAsTheyWere()
    {
        var address = PostgresServer.Instance.NewDatabase();
        using var catalog = PostgresCatalog.Open(address);
        var before = Indexes(address);
        // a negative count breaks the table's CHECK in the middle of the COPY, after the indexes were dropped
        var listens = Enumerable.Range(0, 300).Select(k => new Listen($"u{k % 5}", new ItemRef { SourceKey = $"csv:i{k % 17}" },
            k == 150 ? -1 : 1, 1_700_000_000L + k, k + 2)).ToList();
        var bad = new ImportSource(ImportFormat.Csv, "/synthetic/refused.csv", "sha-refused") { Rows = 300, Listens = listens };
        Assert.ThrowsAny<Exception>(() => catalog.Import([bad]));
        Assert.Equal(before, Indexes(address));
        Assert.Equal((0, 0, 0), (catalog.ListeningCounts().Users, catalog.ListeningCounts().Interactions, catalog.ListeningCounts().Imports));

        var good = bad with { Sha256 = "sha-good", Listens = listens.Select(l => l with { Count = 1 }).ToList() };
        Assert.Equal(300, catalog.Import([good])[0].InteractionsAdded);
        var again = catalog.Import([good])[0];
        Assert.Equal((0, 300), (again.InteractionsAdded, again.DuplicatesSkipped));
        Assert.Equal(before, Indexes(address));
    }

    [PostgresFact]
    public void NewUsersAndItemsGoInWithTheirTextsAndTimesAsGiven()
    {
        var address = PostgresServer.Instance.NewDatabase();
        using var catalog = PostgresCatalog.Open(address);
        // a text longer than the copy writer's buffer (140 000 bytes of UTF-8), texts beyond ASCII, a value left out
        string longAlbum = new('é', 70_000), title = "Nuit étoilée 🎵", name = "Zoë 🎧";
        var listens = new List<Listen>
        {
            new(name, new ItemRef { Artist = "Nils Frahm", Title = title, Album = longAlbum }, 1, 1_700_000_000L, 2),
            new("ann", new ItemRef { Artist = "Low", Title = "Words" }, 1, 1_700_000_001L, 3),
        };
        catalog.Import([new ImportSource(ImportFormat.Csv, "/synthetic/texts.csv", "sha-texts") { Rows = 2, Listens = listens }]);

        using var db = new Npgsql.NpgsqlConnection(address.ConnectionString + ";Pooling=false");
        db.Open();
        using (var cmd = new Npgsql.NpgsqlCommand("""
            SELECT i.artist, i.title, i.album, i.created_at = m.started_at FROM items i, imports m ORDER BY i.id
            """, db))
        using (var r = cmd.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.Equal(("Nils Frahm", title, longAlbum, true), (r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3)));
            Assert.True(r.Read());
            Assert.Equal(("Low", "Words", true, true), (r.GetString(0), r.GetString(1), r.IsDBNull(2), r.GetBoolean(3)));
            Assert.False(r.Read());
        }
        using (var cmd = new Npgsql.NpgsqlCommand("SELECT u.name, u.created_at = m.started_at FROM users u, imports m ORDER BY u.id", db))
        using (var r = cmd.ExecuteReader())
        {
            var users = new List<(string, bool)>();
            while (r.Read()) users.Add((r.GetString(0), r.GetBoolean(1)));
            Assert.Equal([(name, true), ("ann", true)], users);
        }
    }

    private static List<string> Indexes(PostgresAddress address)
    {
        using var db = new Npgsql.NpgsqlConnection(address.ConnectionString + ";Pooling=false");
        db.Open();
        using var cmd = new Npgsql.NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE tablename = 'interactions' ORDER BY indexname", db);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    [PostgresFact]
    public async Task CatalogsOpenedAtOnceMigrateOnce()
    {
        var address = PostgresServer.Instance.Create("fresh_" + Guid.NewGuid().ToString("N")[..8]);
        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using var c = PostgresCatalog.Open(address);
            return c.SchemaVersion;
        })));
        Assert.All(versions, v => Assert.Equal(versions[0], v));
        Assert.True(versions[0] > 0);
    }
}

/// <summary>The PostgreSQL event log refuses to change or forget, whoever asks (SQLite's: <see cref="EventLogStoreTests"/>).</summary>
public sealed class PostgresEventLogTests
{
    [PostgresFact]
    public void TheEventLogRefusesToChangeOrForget()
    {
        var address = PostgresServer.Instance.NewDatabase();
        using (var c = PostgresCatalog.Open(address))
        {
            c.AppendImpressions([new Impression("alice", "r1", 0, 5, null, "recommend", "greedy", "1", 1)]);
            c.AppendOutcome(new Outcome("alice", 5, OutcomeKind.Skip, 3));
        }
        using (var db = new Npgsql.NpgsqlConnection(address.ConnectionString))
        {
            db.Open();
            foreach (var sql in new[] { "UPDATE impressions SET propensity = 0.5", "DELETE FROM impressions", "TRUNCATE impressions",
                         "UPDATE outcomes SET kind = 'like'", "DELETE FROM outcomes", "TRUNCATE outcomes" })
            {
                using var cmd = new Npgsql.NpgsqlCommand(sql, db);
                var e = Assert.Throws<Npgsql.PostgresException>(() => cmd.ExecuteNonQuery());
                Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
            }
        }
        using (var c = PostgresCatalog.Open(address))
        {
            Assert.Equal(1, c.ReadImpressions().Single().Impression.Propensity);
            Assert.Equal(OutcomeKind.Skip, c.ReadOutcomes().Single().Outcome.Kind);
        }
    }
}
