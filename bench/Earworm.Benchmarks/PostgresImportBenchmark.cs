using System.Diagnostics;
using System.Globalization;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Learning.Synthetic;
using Npgsql;
using NpgsqlTypes;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>
/// Bulk import into the PostgreSQL catalog (<c>postgres-import</c>): a synthetic listening log (events of
/// <c>--users</c> listeners over <c>--items</c> items, each with its own time) imported into a fresh database per
/// run, beside two references measured in the same run: the ceiling — the same rows by binary COPY into a table with
/// no index, key or trigger — and the SQLite catalog importing the same source. Prints medians and ratios, and with
/// <c>--server-log</c> where each import's time went.
/// <c>bench/postgres-import.sh</c> starts the server.
/// </summary>
internal static class PostgresImportBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var server = PostgresAddress.Parse(a.Get("--server") ?? throw new ArgumentException("--server postgresql://USER@HOST:PORT/postgres"));
        if (a.Has("--synthetic")) return Synthetic(a, server);
        int interactions = a.Int("--interactions", 1_000_000), users = a.Int("--users", 10_000), items = a.Int("--items", 50_000), runs = a.Int("--runs", 3);
        bool sqlite = !a.Has("--no-sqlite");
        var serverLog = a.Get("--server-log");
        var source = Source(interactions, users, items);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres-import: {interactions:N0} events, {users:N0} users, {items:N0} items, {runs} runs; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        var earworm = new List<double>();
        var ceiling = new List<double>();
        var lite = new List<double>();
        var cpuRate = new List<double>();
        var cpuCeiling = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var db = string.Create(CultureInfo.InvariantCulture, $"bench_import_{Environment.ProcessId}_{run}");
            Admin(server, $"CREATE DATABASE {db}");
            var address = server with { Database = db };
            var (copy, copyCpu) = Ceiling(address, source);
            double clientCpu, serverCpu, seconds;
            long logFrom;
            // the catalog exists before the import, as a library's does when someone imports into it: its schema is
            // created outside the timed window (it costs ~0.5 s, a tenth of a million-event import)
            using (var catalog = PostgresCatalog.Open(address))
            {
                clientCpu = IdleWait.ProcessCpuSeconds();
                serverCpu = ServerCpuSeconds(server);
                logFrom = serverLog is null ? 0 : new FileInfo(serverLog).Length;
                var watch = Stopwatch.StartNew();
                var outcome = catalog.Import([source])[0];
                if (outcome.InteractionsAdded != interactions) throw new InvalidOperationException($"{outcome.InteractionsAdded} interactions added, expected {interactions}");
                serverCpu = ServerCpuSeconds(server) - serverCpu;
                seconds = watch.Elapsed.TotalSeconds;
            }
            double pg = interactions / seconds;
            clientCpu = IdleWait.ProcessCpuSeconds() - clientCpu;
            earworm.Add(pg);
            ceiling.Add(copy);
            cpuRate.Add(interactions / (clientCpu + serverCpu));
            cpuCeiling.Add(interactions / copyCpu);
            string line = string.Create(CultureInfo.InvariantCulture,
                $"  run {run + 1}: earworm import {pg:N0}/s, COPY ceiling {copy:N0}/s ({pg / copy:P0}); CPU: import {clientCpu:0.0} s here + {serverCpu:0.0} s in the server, ceiling {copyCpu:0.0} s in the server");
            if (sqlite)
            {
                var file = Path.Combine(Path.GetTempPath(), $"earworm-bench-{Environment.ProcessId}-{run}.db");
                double s;
                using (var catalog = CatalogStore.Open(file))
                {
                    var watch = Stopwatch.StartNew();
                    catalog.Import([source]);
                    s = interactions / watch.Elapsed.TotalSeconds;
                }
                lite.Add(s);
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                line += string.Create(CultureInfo.InvariantCulture, $", SQLite {s:N0}/s");
            }
            Console.WriteLine(line);
            if (serverLog is not null) Console.WriteLine(Phases(serverLog, logFrom, seconds));
            PostgresCatalog.Release(address);
            Admin(server, $"DROP DATABASE {db}");
        }
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"median: earworm import {Median(earworm):N0} interactions/s; COPY ceiling {Median(ceiling):N0} rows/s; import / ceiling {Median(earworm.Zip(ceiling, (e, c) => e / c)):P0}");
        summary += string.Create(CultureInfo.InvariantCulture,
            $"; per CPU-second (what cores of its own would give): import {Median(cpuRate):N0}/s (client and server), ceiling {Median(cpuCeiling):N0}/s (server)");
        if (sqlite)
            summary += string.Create(CultureInfo.InvariantCulture, $"; SQLite {Median(lite):N0}/s; PostgreSQL / SQLite {Median(earworm.Zip(lite, (e, s) => e / s)):F2}×");
        Console.WriteLine(summary);
        return 0;
    }

    /// <summary>
    /// <c>--synthetic</c>: the log of <c>als-scale</c> (<see cref="SyntheticListening"/>: 1 M users × 500 000 items ×
    /// 100 M interactions unless <c>--users</c>, <c>--items</c>, <c>--interactions</c> say otherwise) imported into one
    /// database as consecutive imports of <c>--chunk</c> events (users in order; an import's listens are held in memory,
    /// ~200 bytes an event), each all or nothing. Stops after the import under way when <c>--max-seconds</c> have passed
    /// and says how much went in: the rate of each import as the table grows, the whole, and the database's size.
    /// </summary>
    private static int Synthetic(Args a, PostgresAddress server)
    {
        var options = new SyntheticListeningOptions
        {
            Users = a.Int("--users", 1_000_000), Items = a.Int("--items", 500_000),
            Interactions = long.Parse(a.Get("--interactions") ?? "100000000", CultureInfo.InvariantCulture),
        };
        int chunk = a.Int("--chunk", 5_000_000);
        double limit = a.Double("--max-seconds", double.PositiveInfinity);
        var log = new SyntheticListening(options);
        var refs = new ItemRef[options.Items];
        for (int i = 0; i < refs.Length; i++) refs[i] = new ItemRef { SourceKey = string.Create(CultureInfo.InvariantCulture, $"csv:i{i}") };
        var db = string.Create(CultureInfo.InvariantCulture, $"bench_synthetic_{Environment.ProcessId}");
        Admin(server, $"CREATE DATABASE {db}");
        var address = server with { Database = db };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres-import --synthetic: {log.Interactions:N0} events of {options.Users:N0} users over {options.Items:N0} items in imports of {chunk:N0}; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        var total = Stopwatch.StartNew();
        long imported = 0;
        int user = 0, part = 0;
        var seen = new HashSet<int>();
        using (var catalog = PostgresCatalog.Open(address))
        {
            while (user < options.Users && total.Elapsed.TotalSeconds < limit)
            {
                var listens = new List<Listen>(chunk + options.Items / 4);
                int first = user;
                while (user < options.Users && listens.Count < chunk)
                {
                    var row = new int[log.RowLength(user)];
                    log.Row(user, row, seen);
                    string name = string.Create(CultureInfo.InvariantCulture, $"u{user}");
                    long at = 1_600_000_000L + 60 * log.RowStart(user);
                    for (int j = 0; j < row.Length; j++) listens.Add(new Listen(name, refs[row[j]], 1, at + 60 * j, listens.Count + 2));
                    user++;
                }
                var source = new ImportSource(ImportFormat.Csv, string.Create(CultureInfo.InvariantCulture, $"/synthetic/part-{part++}.csv"), $"synthetic-{first}")
                { Rows = listens.Count, Listens = listens };
                var watch = Stopwatch.StartNew();
                var outcome = catalog.Import([source])[0];
                if (outcome.InteractionsAdded != listens.Count) throw new InvalidOperationException($"{outcome.InteractionsAdded} interactions added, expected {listens.Count}");
                imported += listens.Count;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  import {part}: users {first:N0}–{user - 1:N0}, {listens.Count:N0} events in {watch.Elapsed.TotalSeconds:0.0} s = {listens.Count / watch.Elapsed.TotalSeconds:N0}/s; {imported:N0} in the table; {total.Elapsed.TotalSeconds:0} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            }
        }
        long bytes;
        using (var conn = new NpgsqlConnection(address.ConnectionString + ";Pooling=false"))
        {
            conn.Open();
            using var size = new NpgsqlCommand("SELECT pg_database_size(current_database())", conn);
            bytes = (long)size.ExecuteScalar()!;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"imported {imported:N0} of {log.Interactions:N0} events in {total.Elapsed.TotalSeconds:0} s = {imported / total.Elapsed.TotalSeconds:N0}/s (generation included); database {bytes / 1073741824.0:0.0} GiB ({(double)bytes / Math.Max(1, imported):0} bytes an event); load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        PostgresCatalog.Release(address);
        if (!a.Has("--keep")) Admin(server, $"DROP DATABASE {db}");
        return 0;
    }

    /// <summary>
    /// Where the import's time went, from the server's log of statement durations (<c>--server-log</c>: the server
    /// started with <c>log_min_duration_statement = 0</c>) written since <paramref name="from"/>: each statement of
    /// 20 ms or more in order, and the rest of the import's <paramref name="seconds"/> — the server idle, the client
    /// alone at work (reading the listens, resolving them) or the two talking.
    /// </summary>
    private static string Phases(string serverLog, long from, double seconds)
    {
        string text;
        using (var stream = new FileStream(serverLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            stream.Position = from;
            text = new StreamReader(stream).ReadToEnd();
        }
        double busy = 0, listed = 0;
        var phases = new List<string>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text,
                     @"duration: ([0-9.]+) ms\s+(statement|execute[^:]*|parse[^:]*|bind[^:]*): (.*)$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            double s = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 1000;
            busy += s;
            if (s < 0.02) continue;
            listed += s;
            phases.Add(string.Create(CultureInfo.InvariantCulture, $"{Label(m.Groups[3].Value)} {s:0.00}"));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"    phases (s): {string.Join(", ", phases)}; other statements {busy - listed:0.00}; the server idle {seconds - busy:0.00} of {seconds:0.00}");
    }

    /// <summary>A statement's short name: what it copies into or builds, else its first words.</summary>
    private static string Label(string sql)
    {
        var words = sql.Split((char[])[' ', '\t', '('], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 2 && words[0] == "COPY") return "COPY " + words[1];
        if (sql.Contains("PRIMARY KEY", StringComparison.Ordinal) && words[0] == "ALTER") return "primary key";
        int index = Array.IndexOf(words, "INDEX");
        if (words[0] == "CREATE" && index > 0 && index + 1 < words.Length) return "index " + words[index + 1];
        if (sql.Contains("nextval", StringComparison.Ordinal)) return "ids";
        return string.Join(' ', words.Take(3));
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

    /// <summary>The CPU seconds the whole server has used so far (this machine's /proc): every process of its
    /// postmaster — backends, the parallel workers of index builds, the WAL writer, the checkpointer — the live ones'
    /// own and the exited ones' through the postmaster's children's times.</summary>
    private static double ServerCpuSeconds(PostgresAddress server)
    {
        int postmaster;
        using (var conn = new NpgsqlConnection(server.ConnectionString + ";Pooling=false"))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand("SELECT pg_backend_pid()", conn);
            postmaster = int.Parse(StatFields((int)cmd.ExecuteScalar()!)[1], CultureInfo.InvariantCulture);
        }
        var own = StatFields(postmaster);
        double seconds = (long.Parse(own[11], CultureInfo.InvariantCulture) + long.Parse(own[12], CultureInfo.InvariantCulture)
            + long.Parse(own[13], CultureInfo.InvariantCulture) + long.Parse(own[14], CultureInfo.InvariantCulture)) / 100.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == postmaster) continue;
            string[] fields;
            try
            {
                fields = StatFields(pid);
            }
            catch (IOException)
            {
                continue; // gone meanwhile: its time is the postmaster's children's now
            }
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                seconds += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        return seconds;
    }

    /// <summary>The fields of /proc/PID/stat after the command's name: state, ppid, … (utime is [11], stime [12],
    /// cutime [13], cstime [14]).</summary>
    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    /// <summary>The same number of rows, as the catalog stores them, by binary COPY into a bare table: rows per second,
    /// and the server's CPU seconds for them.</summary>
    private static (double RowsPerSecond, double ServerCpuSeconds) Ceiling(PostgresAddress address, ImportSource source)
    {
        using var conn = new NpgsqlConnection(address.ConnectionString + ";Pooling=false"); // a pooled connection would keep the database from being dropped
        conn.Open();
        double cpu0 = ServerCpuSeconds(address);
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
        return (source.Listens.Count / watch.Elapsed.TotalSeconds, ServerCpuSeconds(address) - cpu0);
    }

    private static void Admin(PostgresAddress server, string sql)
    {
        using var conn = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }
}
