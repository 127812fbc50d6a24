using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Npgsql;

namespace Earworm.Benchmarks;

/// <summary>
/// The two halves of bench/scale-out.sh (the script starts the servers and silos and does the faults):
/// <c>scale-catalog</c> fills a PostgreSQL catalog with tracks and random vectors in the audio space; <c>scale-out</c>
/// is the load generator. Its clients go through a small load balancer of their own, as a service would put one in
/// front of the silos: a health check of every silo twice a second, requests spread over the healthy ones, and a
/// request that fails on one silo (refused, or no answer in <see cref="AttemptTimeout"/>: a hung silo) tried once more on
/// another. What a listener would see is what is counted: an error is a request no silo answered well.
/// </summary>
internal static class ScaleOutBenchmark
{
    /// <summary>How long one attempt waits for a silo (a SIGSTOPped silo accepts connections and never answers).</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1.5);

    public static int FillCatalog(string[] argv)
    {
        var a = new Args(argv);
        var location = new Earworm.App.CatalogLocation(a.Get("--db") ?? throw new ArgumentException("--db postgresql://USER@HOST:PORT/DB or a SQLite file"));
        int tracks = a.Int("--tracks", 20_000), dims = a.Int("--dims", 32), seed = a.Int("--seed", 1);
        int parallel = location.Server is null ? 1 : a.Int("--parallel", 4); // SQLite has one writer
        var watch = Stopwatch.StartNew();
        using var catalog = location.Open();
        var found = Enumerable.Range(0, tracks).Select(i => new FoundFile($"/lib/{i / 1000}/t{i}.mp3", 1, 1)).ToList();
        catalog.RecordDiscovered(found, ["/lib"], retryFailed: false);
        var byPath = catalog.ListTracks().ToDictionary(t => t.Path, t => t.Id, StringComparer.Ordinal);
        var ids = found.Select(f => byPath[f.Path]).ToArray();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale-catalog: {tracks} tracks discovered in {watch.Elapsed.TotalSeconds:0.0} s"));
        int done = 0;
        // a connection per worker: the analysed tracks are written one transaction each, as a scan writes them
        Parallel.For(0, parallel, new ParallelOptions { MaxDegreeOfParallelism = parallel }, p =>
        {
            using var connection = parallel == 1 ? null : location.Open();
            var writer = connection ?? catalog;
            for (int i = p; i < tracks; i += parallel)
            {
                var id = ids[i];
                writer.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id,
                    new MediaInfo { Container = "mp3", Codec = "mp3", Artist = $"Artist {i % 997}", Title = $"Title {i}", DurationSeconds = 180 + i % 120 }, 1, 1, 1, null),
                    new TrackDescriptors
                    {
                        DurationSeconds = 180 + i % 120, SampleRateHz = 22050, IsSilent = false, TempoBpm = 80 + i % 80, Energy = i % 10 / 10.0,
                        MfccMeans = [.. Enumerable.Range(0, 13).Select(k => (double)((k + i) % 7))],
                        MfccStandardDeviations = [.. Enumerable.Repeat(1.0, 13)],
                    });
                if (Interlocked.Increment(ref done) % 100_000 == 0)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale-catalog: {done} tracks analysed at {watch.Elapsed.TotalSeconds:0} s"));
            }
        });
        var random = new Random(seed);
        var model = catalog.SaveModel("audio", "audio-cnn", "scale-" + seed.ToString(CultureInfo.InvariantCulture), "{}", "synthetic", null, null);
        catalog.SaveTrackVectors("audio", model.Id, ids.Select(id => (id, Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale-catalog: {tracks} tracks with {dims}-dimensional audio vectors in {watch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private sealed class Silo(string url, string name)
    {
        public string Url { get; } = url;

        /// <summary>The silo's letter in the chaos run (a, b, c… in the order given: bench/scale-out.sh's names).</summary>
        public string Name { get; } = name;
        public volatile bool Healthy = true;
        public HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = new Uri(url), Timeout = AttemptTimeout,
        };
    }

    /// <summary>One request as the listener saw it: when it was sent (Unix seconds), its kind, whether any silo answered
    /// well, the coverage a similar answer gave, whether it needed a second silo, and each attempt (silo letter, ms, how it
    /// ended) for the degraded answers' report.</summary>
    private readonly record struct Outcome(double At, bool Similar, bool Ok, double Coverage, bool FailedOver, double Ms, string Attempts)
    {
        /// <summary>When the answer came (Unix seconds).</summary>
        public double End => At + Ms / 1000;
    }

    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var address = PostgresAddress.Parse(a.Get("--db") ?? throw new ArgumentException("--db postgresql://USER@HOST:PORT/DB"));
        var silos = (a.Get("--silos") ?? throw new ArgumentException("--silos URL,URL,…")).Split(',').Select((u, i) => new Silo(u.TrimEnd('/'), ((char)('a' + i)).ToString())).ToArray();
        int seconds = a.Int("--seconds", 45), clients = a.Int("--clients", 8);
        double feedbackShare = a.Double("--feedback", 0.3);
        var faults = a.Get("--faults");
        var ids = await TrackIdsAsync(silos[0]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var health = Task.Run(() => HealthLoopAsync(silos, stop.Token));
        var outcomes = new ConcurrentBag<Outcome>();
        var acknowledged = new ConcurrentBag<long>();
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c * 7919 + 1);
            int next = c;
            while (!stop.IsCancellationRequested)
            {
                bool feedback = random.NextDouble() < feedbackShare;
                long track = ids[random.Next(ids.Length)];
                double at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
                var watch = Stopwatch.StartNew();
                bool ok = false, failedOver = false;
                double coverage = double.NaN;
                var attempts = new StringBuilder();
                for (int attempt = 0; attempt < 2 && !ok; attempt++)
                {
                    var silo = Pick(silos, ref next);
                    if (attempt > 0) failedOver = true;
                    var tried = Stopwatch.StartNew();
                    string how = "ok";
                    try
                    {
                        if (feedback)
                        {
                            var body = JsonSerializer.Serialize(new { trackId = track, kind = random.Next(4) switch { 0 => "like", 1 => "skip", _ => "play" }, user = $"listener{random.Next(200)}" });
                            using var response = await silo.Client.PostAsync("/api/feedback", new StringContent(body, Encoding.UTF8, "application/json"));
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                                acknowledged.Add(json.RootElement.GetProperty("id").GetInt64());
                                ok = true;
                            }
                            else how = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                        }
                        else
                        {
                            using var response = await silo.Client.GetAsync($"/api/tracks/{track}/similar?count=10&space=audio");
                            if (response.IsSuccessStatusCode)
                            {
                                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                                coverage = json.RootElement.GetProperty("coverage").GetDouble();
                                ok = json.RootElement.GetProperty("results").GetArrayLength() > 0;
                                if (!ok) how = "empty";
                            }
                            else how = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        silo.Healthy = false; // refused or hung: out until its health check passes again
                        how = e is TaskCanceledException ? "timeout" : "refused";
                    }
                    attempts.Append(CultureInfo.InvariantCulture, $"{(attempts.Length > 0 ? "," : "")}{silo.Name}:{tried.Elapsed.TotalMilliseconds:0}ms:{how}");
                }
                outcomes.Add(new Outcome(at, !feedback, ok, coverage, failedOver, watch.Elapsed.TotalMilliseconds, attempts.ToString()));
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await health;
        var found = await FoundAsync(address, [.. acknowledged]);
        var all = outcomes.OrderBy(o => o.At).ToList();
        long errors = all.Count(o => !o.Ok);
        var faultTimes = faults is not null && File.Exists(faults) ? ReadFaults(faults) : [];
        var recoveries = Recoveries(all, faultTimes);
        var similar = all.Where(o => o.Similar && o.Ok).Select(o => o.Ms).Order().ToArray();
        for (int f = 0; f < faultTimes.Count; f++)
        {
            var (at, kind) = faultTimes[f];
            double until = f + 1 < faultTimes.Count ? faultTimes[f + 1].At : double.MaxValue;
            var degraded = all.Where(o => Degraded(o) && o.End >= at && o.End < until).Take(40)
                .Select(o => string.Create(CultureInfo.InvariantCulture,
                    $"{o.End - at:0.00}({(o.Similar ? "similar" : "feedback")} {(o.Ok ? $"coverage {o.Coverage:0.00}" : "failed")} {o.Attempts})"));
            Console.Error.WriteLine($"scale-out: degraded after {kind} (s after it): {string.Join(' ', degraded)}");
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale-out: {all.Count} requests in {seconds} s ({all.Count / (double)seconds:0} req/s), {errors} errors, {all.Count(o => o.FailedOver)} failed over; " +
            $"similar p50 {(similar.Length > 0 ? Stats.Quantile(similar, 0.5) : double.NaN):0.0} ms p99 {(similar.Length > 0 ? Stats.Quantile(similar, 0.99) : double.NaN):0.0} ms; coverage < 1 in {all.Count(o => o.Similar && o.Coverage < 1)}; " +
            $"faults {string.Join(", ", faultTimes.Select((f, i) => $"{f.Kind} → {recoveries[i]:0.0} s"))}"));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            silos = silos.Length,
            requests = all.Count,
            errors,
            recovery_seconds = Math.Round(recoveries.DefaultIfEmpty(0).Max(), 2),
            events_acknowledged = acknowledged.Count,
            events_lost = acknowledged.Count - found,
            failed_over = all.Count(o => o.FailedOver),
            partial_answers = all.Count(o => o.Similar && o.Coverage < 1),
            recovery_per_fault = recoveries.Select(r => Math.Round(r, 2)).ToArray(),
        }));
        return 0;
    }

    /// <summary>
    /// <c>scale-throughput</c>: similar tracks (top 10, reasons included, as the API answers by default) through the
    /// silos' HTTP ports, the clients spread over them round-robin (a balancer in front): a warm-up, then per run a
    /// saturated run (the most answered per second) and a run paced at <c>--rate</c> (open loop: latency counted from
    /// when each request was due); the silos' CPU per request over each run and their resident memory after
    /// (<c>--pids</c>). One JSON line of the medians.
    /// </summary>
    public static async Task<int> ThroughputAsync(string[] argv)
    {
        var a = new Args(argv);
        var urls = (a.Get("--silos") ?? throw new ArgumentException("--silos URL,URL,…")).Split(',').Select(u => u.TrimEnd('/')).ToArray();
        int seconds = a.Int("--seconds", 20), clients = a.Int("--clients", 16), runs = a.Int("--runs", 3);
        double rate = a.Double("--rate", 2000), targetP99 = a.Double("--p99", 50);
        var pids = (a.Get("--pids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var ids = await TrackIdsAsync(new Silo(urls[0], "a"));
        static string Path(long id) => string.Create(CultureInfo.InvariantCulture, $"/api/tracks/{id}/similar?count=10&space=audio");
        long partial = 0;
        bool Ok(HttpStatusCode status, byte[] body)
        {
            if (status != HttpStatusCode.OK) return false;
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.GetProperty("coverage").GetDouble() < 1) Interlocked.Increment(ref partial);
            return json.RootElement.GetProperty("results").GetArrayLength() > 0;
        }
        var warm = await HttpLoad.RunAsync(urls, ids, clients, 5, Path, Ok);
        if (warm.Errors > 0) Console.Error.WriteLine($"scale-throughput: the warm-up had {warm.Errors} errors");
        var saturated = new List<LoadResult>();
        var paced = new List<LoadResult>();
        var siloCpu = new List<double>();
        var siloCpuPaced = new List<double>();
        var clientCpu = new List<double>();
        double asked = rate;
        // CPU-ms a request: the silos' CPU (user and system, every silo process) over a run, divided by the requests
        // answered in it; far steadier than req/s when other work shares the cores. The load generator's own beside it.
        double SilosCpu() => pids.Sum(CpuTime.OfProcess);
        async Task<(LoadResult Result, double SiloMs, double ClientMs)> Measured(double? pace)
        {
            double silos0 = SilosCpu();
            var self0 = CpuTime.Now();
            var r = await HttpLoad.RunAsync(urls, ids, clients, seconds, Path, Ok, pace);
            double n = Math.Max(1, r.Requests);
            return (r, 1000 * (SilosCpu() - silos0) / n, 1000 * (CpuTime.Now() - self0).SelfSeconds / n);
        }
        for (int run = 1; run <= runs; run++)
        {
            var (s, sMs, cMs) = await Measured(null);
            // a rate the silos cannot answer only grows a queue (latencies of tens of seconds say nothing more than the
            // saturated run): then the paced run asks 80 % of what the saturated one answered, for the latencies there
            rate = s.Rps >= asked ? asked : Math.Floor(0.8 * s.Rps);
            var (p, pMs, _) = await Measured(rate);
            saturated.Add(s);
            paced.Add(p);
            siloCpu.Add(sMs);
            siloCpuPaced.Add(pMs);
            clientCpu.Add(cMs);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scale-throughput: {urls.Length} silos, run {run}: saturated {s.Rps:0} req/s (p50 {s.P50:0.0} ms, p99 {s.P99:0.0} ms), silos {sMs:0.00} CPU-ms a request, load generator {cMs:0.00}; paced at {rate:0}/s: " +
                $"{p.Rps:0} req/s, p50 {p.P50:0.0} ms, p99 {p.P99:0.0} ms, max {p.Max:0} ms, silos {pMs:0.00} CPU-ms a request; errors {s.Errors + p.Errors}; load average {File.ReadAllText("/proc/loadavg")[..14]}"));
        }
        var rss = pids.Select(ResidentMiB).ToArray();
        double most = Stats.Median(saturated.Select(r => r.Rps)), pacedRps = Stats.Median(paced.Select(r => r.Rps)), p99 = Stats.Median(paced.Select(r => r.P99));
        long errors = saturated.Sum(r => r.Errors) + paced.Sum(r => r.Errors);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            silos = urls.Length,
            seed_tracks = ids.Length,   // the tracks asked about (the catalog's first 20 000 at most), not the catalog's size
            saturated_rps = Math.Round(most),
            saturated_p50_ms = Math.Round(Stats.Median(saturated.Select(r => r.P50)), 1),
            saturated_p99_ms = Math.Round(Stats.Median(saturated.Select(r => r.P99)), 1),
            paced_rate = rate,
            paced_rps = Math.Round(pacedRps),
            paced_p50_ms = Math.Round(Stats.Median(paced.Select(r => r.P50)), 1),
            paced_p99_ms = Math.Round(p99, 1),
            errors,
            partial_answers = partial,
            silo_cpu_ms_per_request = Math.Round(Stats.Median(siloCpu), 3),
            silo_cpu_ms_per_request_paced = Math.Round(Stats.Median(siloCpuPaced), 3),
            client_cpu_ms_per_request = Math.Round(Stats.Median(clientCpu), 3),
            target_rate = asked,
            target_met = rate >= asked && pacedRps >= 0.99 * asked && p99 <= targetP99 && errors == 0,
            rss_mib = rss,
        }));
        return 0;
    }

    /// <summary>A process's resident memory and its peak, in MiB (/proc/PID/status); -1 when it is gone.</summary>
    private static object ResidentMiB(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path)) return new { pid, rss = -1L, peak = -1L };
        var lines = File.ReadAllLines(path);
        long Kb(string key) => lines.Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault(-1);
        return new { pid, rss = Kb("VmRSS:") / 1024, peak = Kb("VmHWM:") / 1024 };
    }

    /// <summary>The next healthy silo after the last one this client used (any, when none is healthy).</summary>
    private static Silo Pick(Silo[] silos, ref int next)
    {
        for (int i = 0; i < silos.Length; i++)
        {
            var s = silos[(next + i) % silos.Length];
            if (s.Healthy)
            {
                next = (next + i + 1) % silos.Length;
                return s;
            }
        }
        return silos[next++ % silos.Length];
    }

    private static async Task HealthLoopAsync(Silo[] silos, CancellationToken ct)
    {
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(1) };
        while (!ct.IsCancellationRequested)
        {
            await Task.WhenAll(silos.Select(async s =>
            {
                try
                {
                    using var r = await probe.GetAsync(s.Url + "/api/limits", CancellationToken.None);
                    s.Healthy = r.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    s.Healthy = false;
                }
            }));
            try
            {
                await Task.Delay(500, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>For each fault (kill, stop) the seconds from it to the end of the last request that ended after it and
    /// before the next fault (or the end of the run) and that no silo answered well, or answered with coverage below 1; 0
    /// when none was. By when a request ended, not when it was sent: one sent just before a SIGSTOP that waited on the
    /// hung silo is that fault's, not the one before it.</summary>
    private static double[] Recoveries(List<Outcome> all, List<(double At, string Kind)> faults)
    {
        var hits = faults.Where(f => f.Kind is "kill" or "stop").ToList();
        var result = new double[hits.Count];
        for (int i = 0; i < hits.Count; i++)
        {
            double from = hits[i].At, until = i + 1 < hits.Count ? hits[i + 1].At : double.MaxValue;
            var degraded = all.Where(o => Degraded(o) && o.End >= from && o.End < until).Select(o => o.End).ToList();
            result[i] = degraded.Count == 0 ? 0 : degraded.Max() - from;
        }
        return result;
    }

    /// <summary>A request no silo answered well, or a similar answer with coverage below 1.</summary>
    private static bool Degraded(Outcome o) => !o.Ok || (o.Similar && o.Coverage < 1);

    private static List<(double At, string Kind)> ReadFaults(string path) =>
        [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(' ')).Where(p => p[1] is "kill" or "stop")
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), p[1])).OrderBy(f => f.Item1)];

    private static async Task<long[]> TrackIdsAsync(Silo silo)
    {
        // not through the balancer's 1.5 s attempts: a page of a library of millions, on a loaded machine, takes longer
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(silo.Url), Timeout = TimeSpan.FromSeconds(60) };
        var ids = new List<long>();
        while (ids.Count < 20_000)
        {
            using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/tracks?limit=200&offset={ids.Count}"));
            var items = json.RootElement.GetProperty("tracks");
            foreach (var t in items.EnumerateArray()) ids.Add(t.GetProperty("id").GetInt64());
            if (items.GetArrayLength() == 0 || ids.Count >= json.RootElement.GetProperty("total").GetInt64()) break;
        }
        if (ids.Count == 0) throw new InvalidOperationException("the catalog has no tracks: run scale-catalog first");
        return [.. ids];
    }

    /// <summary>How many of the acknowledged feedback ids the catalog holds.</summary>
    private static async Task<long> FoundAsync(PostgresAddress address, long[] ids)
    {
        await using var connection = new NpgsqlConnection(address.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM feedback WHERE id = ANY(@ids)", connection);
        cmd.Parameters.AddWithValue("ids", ids);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
