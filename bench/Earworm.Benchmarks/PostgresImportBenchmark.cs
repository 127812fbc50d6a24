using System.Diagnostics;
using System.Globalization;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Npgsql;
using NpgsqlTypes;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>
/// Bulk import into the PostgreSQL catalog (<c>postgres-import</c>): a synthetic listening log (events of
/// <c>--users</c> listeners over <c>--items</c> items, each with its own time) imported into a fresh database per
/// run, beside two references measured in the same run: the ceiling — the same rows by binary COPY into a table with
/// no index, key or trigger — and the SQLite catalog importing the same source. Prints medians and ratios.
/// <c>bench/postgres-import.sh</c> starts the server.
/// </summary>
internal static class PostgresImportBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var server = PostgresAddress.Parse(a.Get("--server") ?? throw new ArgumentException("--server postgresql://USER@HOST:PORT/postgres"));
        int interactions = a.Int("--interactions", 1_000_000), users = a.Int("--users", 10_000), items = a.Int("--items", 50_000), runs = a.Int("--runs", 3);
        bool sqlite = !a.Has("--no-sqlite");
        var source = Source(interactions, users, items);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres-import: {interactions:N0} events, {users:N0} users, {items:N0} items, {runs} runs; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        var earworm = new List<double>();
        var ceiling = new List<double>();
        var lite = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var db = string.Create(CultureInfo.InvariantCulture, $"bench_import_{Environment.ProcessId}_{run}");
            Admin(server, $"CREATE DATABASE {db}");
            var address = server with { Database = db };
            double copy = Ceiling(address, source);
            var watch = Stopwatch.StartNew();
            using (var catalog = PostgresCatalog.Open(address))
            {
                var outcome = catalog.Import([source])[0];
                if (outcome.InteractionsAdded != interactions) throw new InvalidOperationException($"{outcome.InteractionsAdded} interactions added, expected {interactions}");
            }
            double pg = interactions / watch.Elapsed.TotalSeconds;
            earworm.Add(pg);
            ceiling.Add(copy);
            string line = string.Create(CultureInfo.InvariantCulture, $"  run {run + 1}: earworm import {pg:N0}/s, COPY ceiling {copy:N0}/s ({pg / copy:P0})");
            if (sqlite)
            {
                var file = Path.Combine(Path.GetTempPath(), $"earworm-bench-{Environment.ProcessId}-{run}.db");
                watch.Restart();
                using (var catalog = CatalogStore.Open(file)) catalog.Import([source]);
                double s = interactions / watch.Elapsed.TotalSeconds;
                lite.Add(s);
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                line += string.Create(CultureInfo.InvariantCulture, $", SQLite {s:N0}/s");
            }
            Console.WriteLine(line);
            PostgresCatalog.Release(address);
            Admin(server, $"DROP DATABASE {db}");
        }
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"median: earworm import {Median(earworm):N0} interactions/s; COPY ceiling {Median(ceiling):N0} rows/s; import / ceiling {Median(earworm.Zip(ceiling, (e, c) => e / c)):P0}");
        if (sqlite)
            summary += string.Create(CultureInfo.InvariantCulture, $"; SQLite {Median(lite):N0}/s; PostgreSQL / SQLite {Median(earworm.Zip(lite, (e, s) => e / s)):F2}×");
        Console.WriteLine(summary);
        return 0;
    }

    /// <summary>Events of users over items by artist and title, each user's times increasing.</summary>
    private static ImportSource Source(int interactions, int users, int items)
    {
        var rng = new Random(42);
        var refs = Enumerable.Range(0, items).Select(i => new ItemRef { Artist = $"Artist {i % 5000}", Title = $"Title {i}" }).ToArray();
        var listens = new Listen[interactions];
        for (int k = 0; k < interactions; k++)
            listens[k] = new Listen($"user{k % users}", refs[rng.Next(items)], 1, 1_600_000_000L + k, k + 2);
        return new ImportSource(ImportFormat.Csv, "/synthetic/listens.csv", "synthetic") { Rows = interactions, Listens = listens };
    }

    /// <summary>The same number of rows, as the catalog stores them, by binary COPY into a bare table: rows per second.</summary>
    private static double Ceiling(PostgresAddress address, ImportSource source)
    {
        using var conn = new NpgsqlConnection(address.ConnectionString + ";Pooling=false"); // a pooled connection would keep the database from being dropped
        conn.Open();
        using (var create = new NpgsqlCommand("CREATE TABLE ceiling (user_id bigint, item_id bigint, count double precision, at bigint, source text, import_id bigint)", conn))
            create.ExecuteNonQuery();
        var watch = Stopwatch.StartNew();
        using (var tx = conn.BeginTransaction())
        {
            using (var copy = conn.BeginBinaryImport("COPY ceiling FROM STDIN (FORMAT BINARY)"))
            {
                for (int k = 0; k < source.Listens.Count; k++)
                {
                    copy.StartRow();
                    copy.Write((long)(k % 10_000), NpgsqlDbType.Bigint);
                    copy.Write((long)k, NpgsqlDbType.Bigint);
                    copy.Write(1.0, NpgsqlDbType.Double);
                    copy.Write(source.Listens[k].TimestampUnixSeconds!.Value, NpgsqlDbType.Bigint);
                    copy.Write("csv", NpgsqlDbType.Text);
                    copy.Write(1L, NpgsqlDbType.Bigint);
                }
                copy.Complete();
            }
            tx.Commit();
        }
        return source.Listens.Count / watch.Elapsed.TotalSeconds;
    }

    private static void Admin(PostgresAddress server, string sql)
    {
        using var conn = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }
}
