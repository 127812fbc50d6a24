using System.Diagnostics;
using System.Globalization;
using System.Net;
using Earworm.App.Similar;
using Earworm.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>One load run's figures. <see cref="Rps"/> is what was answered per second of wall time.</summary>
internal sealed record LoadResult(double Rps, double P50, double P99, double Max, long Errors, long Requests);

/// <summary>
/// Load over loopback for the web and OpenSubsonic benchmarks, in two shapes. Saturated (closed loop): each client
/// sends its next request as soon as the last is answered, which finds the most the server answers per second;
/// its latencies are those of a server with a queue always full. Paced (open loop, as wrk2 does): the clients send
/// at a fixed total rate on a schedule, and each latency counts from when the request was due, not when it was sent,
/// so a stalled server is charged for the requests it kept waiting (Tene's "coordinated omission"). "N req/s at
/// p99 ≤ X ms" is the paced run's figure at rate N.
/// </summary>
internal static class HttpLoad
{
    /// <summary><paramref name="clients"/> keep-alive clients asking for <paramref name="path"/> of random ids for
    /// <paramref name="seconds"/>: as fast as answered, or at <paramref name="ratePerSecond"/> in total. An answer
    /// <paramref name="ok"/> refuses, or a failed connection, is an error.</summary>
    public static Task<LoadResult> RunAsync(string url, long[] ids, int clients, int seconds,
        Func<long, string> path, Func<HttpStatusCode, byte[], bool> ok, double? ratePerSecond = null) =>
        RunAsync([url], ids, clients, seconds, path, ok, ratePerSecond);

    /// <summary>As the one-server run, the clients spread over <paramref name="urls"/> (client c asks urls[c mod n]): a
    /// cluster's servers behind a round-robin balancer.</summary>
    public static async Task<LoadResult> RunAsync(IReadOnlyList<string> urls, long[] ids, int clients, int seconds,
        Func<long, string> path, Func<HttpStatusCode, byte[], bool> ok, double? ratePerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentOutOfRangeException.ThrowIfZero(urls.Count);
        long errors = 0;
        var latencies = new List<double>[clients];
        var stop = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        var cpu0 = CpuTime.Now();
        long allocated0 = GC.GetTotalAllocatedBytes();
        int gc0 = GC.CollectionCount(0), gc2 = GC.CollectionCount(2);
        // Paced: client c sends its k-th request at (k·clients + c) / rate seconds.
        double interval = ratePerSecond is { } r ? clients / r : 0;
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false }) { BaseAddress = new Uri(urls[c % urls.Count]) };
            var random = new Random(c);
            var mine = latencies[c] = new List<double>(100_000);
            for (long k = 0; ; k++)
            {
                var due = ratePerSecond is { } rate ? TimeSpan.FromSeconds(k * interval + c / rate) : stop.Elapsed;
                if (due >= end) break;
                var wait = due - stop.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                // Sent late (a slow answer before it, a timer that woke late): counted from when it was due. Sent up
                // to the timer's 1 ms early: counted from when it was sent.
                var from = stop.Elapsed < due ? stop.Elapsed : due;
                var id = ids[random.Next(ids.Length)];
                try
                {
                    using var response = await client.GetAsync(path(id));
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (!ok(response.StatusCode, body)) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                mine.Add((stop.Elapsed - from).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        double wall = stop.Elapsed.TotalSeconds;
        double cpu = (CpuTime.Now() - cpu0).SelfSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double allocatedKb = (GC.GetTotalAllocatedBytes() - allocated0) / 1024.0 / all.Length;
        // CPU per request (server and clients, this process): less disturbed than wall time by other work on the machine.
        // Allocation per request and collections: what the garbage collector costs (every thread waits during one).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {all.Length} requests, {cpu:0.0} CPU-s: {1000 * cpu / all.Length:0.000} CPU-ms per request (clients included) → {Environment.ProcessorCount * all.Length / cpu:0} req/s if the {Environment.ProcessorCount} cores were ours; " +
            $"{allocatedKb:0} KB allocated per request, {GC.CollectionCount(0) - gc0} collections ({GC.CollectionCount(2) - gc2} full)"));
        return new LoadResult(all.Length / wall, Quantile(all, 0.5), Quantile(all, 0.99), all[^1], errors, all.Length);
    }

    /// <summary>The similar query called directly (no HTTP) from <paramref name="threads"/> threads: queries per second.</summary>
    public static double Direct(SimilarService similar, long[] ids, int threads, int seconds)
    {
        long done = 0;
        var stop = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var random = new Random(t);
            long n = 0;
            while (stop.Elapsed < end)
            {
                var id = ids[random.Next(ids.Length)].ToString(CultureInfo.InvariantCulture);
                _ = similar.FindAsync(new SimilarRequest { Track = id, Count = 10 }).GetAwaiter().GetResult();
                n++;
            }
            Interlocked.Add(ref done, n);
        });
        return done / stop.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// One endpoint measured the same way by both benchmarks: a warm-up, then <paramref name="runs"/> times (each after
    /// the machine is quiet) a saturated run, a run paced at <paramref name="targetRps"/> and the direct reference;
    /// prints each run and the medians, and whether the target (<paramref name="targetRps"/> answered at p99 ≤
    /// <paramref name="targetP99Ms"/>, no errors) is met. True when it is.
    /// </summary>
    public static async Task<bool> MeasureAsync(string name, string url, long[] ids, SimilarService similar, int clients, int seconds, int runs,
        Func<long, string> path, Func<HttpStatusCode, byte[], bool> ok, double targetRps = 2000, double targetP99Ms = 20)
    {
        var warm = await RunAsync(url, ids, clients, 2, path, ok); // JIT, connections, the snapshot and its index
        if (warm.Errors > 0) throw new InvalidOperationException($"{name}: the warm-up had {warm.Errors} failed requests: is the catalog right?");
        var saturated = new List<LoadResult>();
        var paced = new List<LoadResult>();
        var direct = new List<double>();
        for (int run = 1; run <= runs; run++)
        {
            IdleWait.Wait();
            var s = await RunAsync(url, ids, clients, seconds, path, ok);
            var p = await RunAsync(url, ids, clients, seconds, path, ok, targetRps);
            double d = Direct(similar, ids, clients, seconds);
            saturated.Add(s);
            paced.Add(p);
            direct.Add(d);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name} run {run}: saturated {s.Rps:0} req/s (p50 {s.P50:0.00} ms, p99 {s.P99:0.00} ms, max {s.Max:0.0} ms); " +
                $"paced at {targetRps:0}/s: {p.Rps:0} req/s, p50 {p.P50:0.00} ms, p99 {p.P99:0.00} ms, max {p.Max:0.0} ms; errors {s.Errors + p.Errors}; direct similar {d:0} queries/s"));
        }
        double most = Median(saturated.Select(r => r.Rps)), rate = Median(paced.Select(r => r.Rps)), p99 = Median(paced.Select(r => r.P99)), dm = Median(direct);
        long errors = saturated.Sum(r => r.Errors) + paced.Sum(r => r.Errors);
        // A paced run answers a little under its rate (the last due requests are cut by the end of the run).
        bool met = rate >= 0.99 * targetRps && most >= targetRps && p99 <= targetP99Ms && errors == 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: medians: saturated {most:0} req/s (p50 {Median(saturated.Select(r => r.P50)):0.00} ms, p99 {Median(saturated.Select(r => r.P99)):0.00} ms); " +
            $"paced at {targetRps:0}/s: {rate:0} req/s, p50 {Median(paced.Select(r => r.P50)):0.00} ms, p99 {p99:0.00} ms; errors {errors} " +
            $"(target ≥ {targetRps:0} req/s at p99 ≤ {targetP99Ms:0} ms: {(met ? "met" : "NOT met")}); direct similar {dm:0} queries/s, saturated/direct = {most / dm:0.00}"));
        return met;
    }
}

/// <summary>Earworm's server on 127.0.0.1 in this process (port chosen by the system), over one catalog.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.First().TrimEnd('/');

    /// <param name="logEvents">false: the server logs no events (the event log benchmark's reference).</param>
    public static async Task<LoopbackServer> StartAsync(string catalogPath, bool logEvents = true)
    {
        var app = EarwormServer.Build([], new WebOptions { CatalogPath = catalogPath, Port = 0 }, l => l.ClearProviders(),
            extensions: logEvents ? null : new ServerExtensions { Services = (_, o) => o with { LogEvents = false } });
        await app.StartAsync();
        return new LoopbackServer(app);
    }

    /// <summary>A service the server registered (its library cache, similar service…).</summary>
    public T Service<T>() where T : class =>
        _app.Services.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"the server has no {typeof(T).Name}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
