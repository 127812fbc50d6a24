using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Web;
using Earworm.App.Library;
using Earworm.App.Similar;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Earworm.Benchmarks;

/// <summary>
/// The web app under load, over loopback: `GET /api/tracks/{id}/similar` on a catalog of --tracks synthetic tracks
/// (random but plausible descriptors) from --clients concurrent keep-alive clients for --seconds, --runs times
/// (requests/s, p50/p99 latency, errors); the reference in the same run is the same similar query called directly
/// (no HTTP) from as many threads. Then --stream-clients clients each fetch a 2-minute WAV whole and in random
/// ranges, every byte checked. The server runs in this process on 127.0.0.1, port chosen by the system.
/// </summary>
internal static class WebBenchmark
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        int tracks = a.Int("--tracks", 10_000), clients = a.Int("--clients", 16), seconds = a.Int("--seconds", 10), runs = a.Int("--runs", 3);
        int streamClients = a.Int("--stream-clients", 20);
        var dir = a.Get("--dir") ?? Path.Combine(Path.GetTempPath(), "earworm-bench-web");
        var (catalogPath, audioId, audioPath) = await EnsureCatalogAsync(dir, tracks);
        Console.WriteLine($"web: {tracks} tracks, {clients} clients × {seconds} s, {runs} runs; {Environment.ProcessorCount} cores");

        var app = EarwormServer.Build([], new WebOptions { CatalogPath = catalogPath, Port = 0 }, l => l.ClearProviders());
        await app.StartAsync();
        var url = app.Urls.First().TrimEnd('/');
        var library = (LibraryCache)app.Services.GetService(typeof(LibraryCache))!;
        var similar = (SimilarService)app.Services.GetService(typeof(SimilarService))!;
        var ids = library.Current.Tracks.Select(t => t.Id).ToArray();
        try
        {
            var http = new List<(double Rps, double P50, double P99, double Max, long Errors)>();
            var direct = new List<double>();
            var warm = await LoadAsync(url, ids, clients, 2); // warm-up: JIT, connections, the snapshot and its index
            if (warm.Errors > 0) throw new InvalidOperationException($"the warm-up had {warm.Errors} failed requests: is the catalog right?");
            for (int run = 1; run <= runs; run++)
            {
                IdleWait.Wait();
                var r = await LoadAsync(url, ids, clients, seconds);
                http.Add(r);
                double d = Direct(similar, ids, clients, seconds);
                direct.Add(d);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {run}: HTTP {r.Rps:0} req/s, p50 {r.P50:0.00} ms, p99 {r.P99:0.00} ms, max {r.Max:0.0} ms, errors {r.Errors}; direct (no HTTP) {d:0} queries/s"));
            }
            double Median(IEnumerable<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }
            double rps = Median(http.Select(h => h.Rps)), p99 = Median(http.Select(h => h.P99)), dm = Median(direct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"similar over HTTP: median {rps:0} req/s, p50 {Median(http.Select(h => h.P50)):0.00} ms, p99 {p99:0.00} ms, errors {http.Sum(h => h.Errors)} " +
                $"(target ≥ 2000 req/s at p99 ≤ 20 ms: {(rps >= 2000 && p99 <= 20 && http.All(h => h.Errors == 0) ? "met" : "NOT met")}); " +
                $"direct {dm:0} queries/s, HTTP/direct = {rps / dm:0.00}"));

            IdleWait.Wait();
            var (bytes, requests, errors, elapsed) = await StreamAsync(url, audioId, audioPath, streamClients);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"streaming: {streamClients} clients, {requests} requests (whole file and random ranges), {bytes / 1048576.0:0} MiB in {elapsed:0.00} s " +
                $"({bytes / 1048576.0 / elapsed:0} MiB/s), errors {errors}"));
            return http.All(h => h.Errors == 0) && errors == 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static Task<(double Rps, double P50, double P99, double Max, long Errors)> LoadAsync(string url, long[] ids, int clients, int seconds) =>
        LoadAsync(url, ids, clients, seconds, id => $"/api/tracks/{id}/similar?count=10", (status, body) => status == HttpStatusCode.OK && body.Length >= 100);

    /// <summary>--clients keep-alive clients, each asking for <paramref name="path"/> of random ids for --seconds; an answer
    /// <paramref name="ok"/> refuses, or a failed connection, is an error.</summary>
    internal static async Task<(double Rps, double P50, double P99, double Max, long Errors)> LoadAsync(string url, long[] ids, int clients, int seconds,
        Func<long, string> path, Func<HttpStatusCode, byte[], bool> ok)
    {
        long errors = 0;
        var latencies = new List<double>[clients];
        var stop = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        var cpu0 = CpuTime.Now();
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false }) { BaseAddress = new Uri(url) };
            var random = new Random(c);
            var mine = latencies[c] = new List<double>(100_000);
            while (stop.Elapsed < end)
            {
                var id = ids[random.Next(ids.Length)];
                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var r = await client.GetAsync(path(id));
                    var body = await r.Content.ReadAsByteArrayAsync();
                    if (!ok(r.StatusCode, body)) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        double wall = stop.Elapsed.TotalSeconds;
        double cpu = (CpuTime.Now() - cpu0).SelfSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        // CPU per request (server and clients, this process): less disturbed than wall time by other work on the machine.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {all.Length} requests, {cpu:0.0} CPU-s: {1000 * cpu / all.Length:0.000} CPU-ms per request (clients included) → {Environment.ProcessorCount * all.Length / cpu:0} req/s if the {Environment.ProcessorCount} cores were ours"));
        return (all.Length / wall, all[all.Length / 2], all[(int)(all.Length * 0.99)], all[^1], errors);
    }

    internal static double Direct(SimilarService similar, long[] ids, int threads, int seconds)
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

    private static async Task<(long Bytes, long Requests, long Errors, double Seconds)> StreamAsync(string url, long id, string path, int clients)
    {
        var file = await File.ReadAllBytesAsync(path);
        long bytes = 0, requests = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url) };
            var random = new Random(100 + c);
            for (int i = 0; i < 12; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tracks/{id}/audio");
                int from = 0, to = file.Length - 1;
                if (i > 0)
                {
                    from = random.Next(file.Length - 1);
                    to = Math.Min(file.Length - 1, from + random.Next(1, 2 * 1024 * 1024));
                    request.Headers.Range = new RangeHeaderValue(from, to);
                }
                try
                {
                    using var r = await client.SendAsync(request);
                    var body = await r.Content.ReadAsByteArrayAsync();
                    bool ok = r.StatusCode == (i == 0 ? HttpStatusCode.OK : HttpStatusCode.PartialContent)
                              && body.AsSpan().SequenceEqual(file.AsSpan(from, to - from + 1));
                    if (!ok) Interlocked.Increment(ref errors);
                    Interlocked.Add(ref bytes, body.Length);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                Interlocked.Increment(ref requests);
            }
        })));
        return (bytes, requests, errors, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A catalog of <paramref name="count"/> tracks with plausible random descriptors (kept between runs), one of them a
    /// real 2-minute WAV for streaming.</summary>
    internal static async Task<(string Catalog, long AudioId, string AudioPath)> EnsureCatalogAsync(string dir, int count)
    {
        // Named by the descriptor version: a catalog written with another one has no current descriptors.
        var catalogPath = Path.Combine(dir, $"catalog-{count}-d{TrackDescriptors.Version}.db");
        var library = Path.Combine(dir, "library");
        var audio = Path.Combine(library, "stream.wav");
        Directory.CreateDirectory(library);
        if (!File.Exists(audio))
        {
            var rendered = Synthesizer.Render(TrackSpec.Typical(SynthStyle.House, durationSeconds: 120), 44100);
            await new FfmpegEncoder(FfmpegTools.Locate()).EncodeAsync(rendered.Samples, rendered.SampleRate, rendered.Channels, audio,
                new Dictionary<string, string> { ["title"] = "Stream", ["artist"] = "Bench" }, CancellationToken.None);
        }
        using var catalog = CatalogStore.Open(catalogPath);
        if (catalog.Counts().Analysed < count)
        {
            Console.WriteLine($"web: writing a catalog of {count} synthetic tracks to {catalogPath}…");
            var random = new Random(42);
            var found = new List<FoundFile> { new(audio, new FileInfo(audio).Length, 0) };
            for (int i = 1; i < count; i++) found.Add(new FoundFile(Path.Combine(library, $"artist{i % 700:000}", $"track{i:00000}.mp3"), 4_000_000, 0));
            catalog.StartScan([library]);
            catalog.RecordDiscovered(found, [library], retryFailed: false);
            foreach (var t in catalog.ListTracks(TrackStatus.Pending))
            {
                int i = t.Path == audio ? 0 : int.Parse(Path.GetFileNameWithoutExtension(t.Path)[5..], CultureInfo.InvariantCulture);
                var media = new MediaInfo { Container = "mp3", Codec = "mp3", DurationSeconds = 120 + random.Next(200), SampleRateHz = 44100, Channels = 2,
                    Title = $"Track {i}", Artist = $"Artist {i % 700}", Album = $"Album {i % 1500}", Genre = $"Genre {i % 12}" };
                var d = new TrackDescriptors
                {
                    DurationSeconds = media.DurationSeconds!.Value, SampleRateHz = 22050, IsSilent = false,
                    TempoBpm = 60 + 120 * random.NextDouble(), TempoConfidence = random.NextDouble(), KeyTonic = random.Next(12),
                    KeyMode = random.Next(2) == 0 ? Mode.Major : Mode.Minor, KeyConfidence = random.NextDouble(),
                    IntegratedLoudnessLufs = -20 + 14 * random.NextDouble(), LoudnessRangeLu = 10 * random.NextDouble(), RmsDbfs = -20,
                    Energy = random.NextDouble(), Danceability = 3 * random.NextDouble(), SpectralCentroidHz = 500 + 3000 * random.NextDouble(),
                    SpectralFlatness = random.NextDouble() * 0.5, ZeroCrossingsPerSecond = 1000 * random.NextDouble(), OnsetsPerSecond = 5 * random.NextDouble(),
                    DynamicComplexityLu = 5 * random.NextDouble(),
                    MfccMeans = [.. Enumerable.Range(0, 20).Select(_ => 20 * (random.NextDouble() - 0.5))],
                    MfccStandardDeviations = [.. Enumerable.Range(0, 20).Select(_ => 5 * random.NextDouble())],
                };
                catalog.SaveAnalysed(t.Id, new AnalysedTrack(t.SizeBytes, 0, $"hash{i}", media, media.DurationSeconds!.Value, 0, 0, null), d);
            }
        }
        var stream = catalog.FindByPath(audio)!;
        return (catalogPath, stream.Id, audio);
    }
}
