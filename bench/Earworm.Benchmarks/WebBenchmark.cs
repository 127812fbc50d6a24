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

namespace Earworm.Benchmarks;

/// <summary>
/// The web app under load, over loopback: `GET /api/tracks/{id}/similar` on a catalog of --tracks synthetic tracks
/// (random but plausible descriptors) from --clients concurrent keep-alive clients for --seconds, --runs times,
/// saturated and paced at 2000 req/s (<see cref="HttpLoad"/>: requests/s, p50/p99 latency, errors); the reference in
/// the same run is the same similar query called directly (no HTTP) from as many threads. Then --stream-clients
/// clients each fetch a 2-minute WAV whole and in random ranges, every byte checked. The server runs in this process on 127.0.0.1, port chosen by the system.
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

        await using var server = await LoopbackServer.StartAsync(catalogPath);
        var similar = server.Service<SimilarService>();
        var ids = server.Service<LibraryCache>().Current.Tracks.Select(t => t.Id).ToArray();
        bool met = await HttpLoad.MeasureAsync("similar over HTTP", server.Url, ids, similar, clients, seconds, runs,
            id => $"/api/tracks/{id}/similar?count=10", (status, body) => status == HttpStatusCode.OK && body.Length >= 100);

        IdleWait.Wait();
        var (bytes, requests, errors, elapsed) = await StreamAsync(server.Url, audioId, audioPath, streamClients);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"streaming: {streamClients} clients, {requests} requests (whole file and random ranges), {bytes / 1048576.0:0} MiB in {elapsed:0.00} s " +
            $"({bytes / 1048576.0 / elapsed:0} MiB/s), errors {errors}"));
        return met && errors == 0 ? 0 : 1;
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
