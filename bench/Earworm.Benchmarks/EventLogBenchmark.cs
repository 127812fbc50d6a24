using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Earworm.App;
using Earworm.App.Feedback;
using Earworm.App.Playlists;
using Earworm.Catalog;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>
/// What the event log costs a serving path: --threads threads loop, for --seconds, a listener's keep-playing request
/// (10 tracks next, every list logged as impressions) and, every --feedback-every requests, a skip (feedback plus its
/// outcome), through the application services (no HTTP: the harsher ratio, since HTTP adds the same cost to both) on the
/// web benchmark's synthetic catalog. Runs alternate logging off (the reference) and on, --runs pairs, the order
/// swapped every pair; reports the medians and the on/off ratio (target ≥ 0.90), the median of the pairs' ratios (a
/// pair's two runs are next to each other in time, so a load that comes and goes moves both), and the CPU each request
/// took (getrusage: what another process's load barely moves), off against on. With --http the same requests go to
/// Earworm's server over loopback (POST /api/playlist/keep-playing, POST /api/feedback; two servers in this process on
/// the one catalog, logging off and on): serving as a player sees it.
/// </summary>
internal static class EventLogBenchmark
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        int tracks = a.Int("--tracks", 10_000);
        // a folder of its own: the catalog is migrated to the event log's schema
        var dir = a.Get("--dir") ?? Path.Combine(Path.GetTempPath(), "earworm-bench-events");
        var (basePath, _, _) = await WebBenchmark.EnsureCatalogAsync(dir, tracks);
        // each invocation serves a copy of the same catalog, deleted after: the feedback and events one run writes would
        // otherwise be read by the next (keep-playing reads the listener's dislikes; the log grows)
        var catalogPath = Path.Combine(dir, $"run-{Environment.ProcessId}.db");
        DeleteCatalog(catalogPath);
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={basePath};Pooling=False"))
        {
            db.Open();
            using var copy = db.CreateCommand();
            copy.CommandText = "VACUUM INTO $to";
            copy.Parameters.AddWithValue("$to", catalogPath);
            copy.ExecuteNonQuery();
        }
        try
        {
            return await RunOnAsync(a, catalogPath, tracks);
        }
        finally
        {
            DeleteCatalog(catalogPath);
        }
    }

    private static void DeleteCatalog(string path)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
    }

    private static async Task<int> RunOnAsync(Args a, string catalogPath, int tracks)
    {
        int threads = a.Int("--threads", 8), seconds = a.Int("--seconds", 10), runs = a.Int("--runs", 3);
        int feedbackEvery = a.Int("--feedback-every", 5);
        bool http = a.Has("--http");
        var location = new CatalogLocation(catalogPath);
        using var on = new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false, LogEvents = true });
        using var off = new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false, LogEvents = false });
        var ids = on.Library.Current.Tracks.Select(t => t.Id).ToArray();
        await using var serverOn = http ? await LoopbackServer.StartAsync(catalogPath, logEvents: true) : null;
        await using var serverOff = http ? await LoopbackServer.StartAsync(catalogPath, logEvents: false) : null;
        Func<bool, int, Task<(double, double)>> load = http
            ? (logging, s) => LoadHttpAsync((logging ? serverOn : serverOff)!.Url, ids, threads, s, feedbackEvery)
            : (logging, s) => LoadAsync(logging ? on : off, ids, threads, s, feedbackEvery);
        Console.WriteLine($"events{(http ? " over HTTP" : "")}: {tracks} tracks, {threads} {(http ? "clients" : "threads")} × {seconds} s, {runs} pairs of runs (logging off, on); {Environment.ProcessorCount} cores; load average {InteractionData.LoadAverage()}");
        await load(false, 2);
        await load(true, 2);
        var with = new List<double>();
        var without = new List<double>();
        var cpuWith = new List<double>();
        var cpuWithout = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            foreach (var logging in run % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var (rps, cpuMs) = await load(logging, seconds);
                (logging ? with : without).Add(rps);
                (logging ? cpuWith : cpuWithout).Add(cpuMs);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  pair {run + 1}, logging {(logging ? "on " : "off")}: {rps:0} req/s, {cpuMs:0.00} CPU ms/request (load average {InteractionData.LoadAverage()})"));
            }
        }
        double ratio = Median(with) / Median(without);
        var pairs = with.Zip(without).Select(p => p.First / p.Second).ToList();
        double cpuRatio = Median(cpuWithout) / Median(cpuWith);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"keep-playing + feedback: logging off {Median(without):0} req/s, on {Median(with):0} req/s (medians of {runs}); on/off = {ratio:0.000} (target ≥ 0.90: {(ratio >= 0.9 ? "met" : "NOT met")}); " +
            $"per-pair ratios {string.Join(", ", pairs.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))} (median {Median(pairs):0.000}); " +
            $"CPU per request off {Median(cpuWithout):0.00} ms, on {Median(cpuWith):0.00} ms: off/on = {cpuRatio:0.000}"));
        return 0;
    }

    /// <summary>Requests a second, and CPU milliseconds (this process) a request.</summary>
    private static async Task<(double PerSecond, double CpuMs)> LoadAsync(EarwormServices services, long[] ids, int threads, int seconds, int feedbackEvery)
    {
        long done = 0;
        var cpu = CpuTime.Now();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            string user = $"bench{t}";
            for (long n = 0; clock.Elapsed.TotalSeconds < seconds; n++)
            {
                var seed = ids[random.Next(ids.Length)];
                var list = await services.Playlists.KeepPlayingAsync(new KeepPlayingRequest
                {
                    User = user, Seeds = [seed.ToString(CultureInfo.InvariantCulture)], Length = 10, NextOnly = true, Space = "descriptors", SeedRandom = 0,
                });
                if (n % feedbackEvery == 0)
                    await services.Feedback.RecordAsync(new FeedbackRequest(list.Entries[0].TrackId, FeedbackKind.Skip, user, "bench") { PositionSeconds = 12 }, user);
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        double elapsed = clock.Elapsed.TotalSeconds;
        return (done / elapsed, (CpuTime.Now() - cpu).SelfSeconds * 1000 / Math.Max(1, done));
    }

    /// <summary>As <see cref="LoadAsync"/>, through the server at <paramref name="url"/>: a keep-alive client a thread.</summary>
    private static async Task<(double PerSecond, double CpuMs)> LoadHttpAsync(string url, long[] ids, int clients, int seconds, int feedbackEvery)
    {
        long done = 0, errors = 0;
        var cpu = CpuTime.Now();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(t => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url) };
            var random = new Random(t);
            string user = $"bench{t}";
            for (long n = 0; clock.Elapsed.TotalSeconds < seconds; n++)
            {
                var seed = ids[random.Next(ids.Length)];
                using var shown = await client.PostAsJsonAsync("/api/playlist/keep-playing",
                    new { user, seeds = new[] { seed.ToString(CultureInfo.InvariantCulture) }, length = 10, space = "descriptors", seedRandom = 0 });
                if (!shown.IsSuccessStatusCode) { Interlocked.Increment(ref errors); continue; }
                if (n % feedbackEvery == 0)
                {
                    using var body = await shown.Content.ReadFromJsonAsync<System.Text.Json.JsonDocument>();
                    long first = body!.RootElement.GetProperty("tracks")[0].GetProperty("track").GetProperty("id").GetInt64();
                    using var fed = await client.PostAsJsonAsync("/api/feedback", new { trackId = first, kind = "skip", user, positionSeconds = 12 });
                    if (!fed.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                else await shown.Content.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        if (errors > 0) throw new InvalidOperationException($"{errors} requests failed");
        double elapsed = clock.Elapsed.TotalSeconds;
        return (done / elapsed, (CpuTime.Now() - cpu).SelfSeconds * 1000 / Math.Max(1, done));
    }
}
