using System.Globalization;
using System.Net;
using Earworm.App;
using Earworm.App.Accounts;
using Earworm.App.Library;
using Earworm.App.Similar;

namespace Earworm.Benchmarks;

/// <summary>
/// The OpenSubsonic API under load, over loopback: the Instant Mix (<c>getSimilarSongs2</c>, count 50 — its default,
/// what apps send — and count 10) and <c>getSonicSimilarTracks</c> (count 10, its default) on the web benchmark's catalog of --tracks
/// synthetic tracks, each from --clients keep-alive clients signed in with an API key (f=json) for --seconds, --runs
/// times, saturated and paced at 2000 req/s (<see cref="HttpLoad"/>): requests/s, p50/p99, errors (an answer that is
/// not status "ok" counts). The reference in the same run is the similar query called directly (no HTTP, no sign-in,
/// count 10) from as many threads. Target: ≥ 2000 req/s at p99 ≤ 20 ms with no errors.
/// </summary>
internal static class SubsonicBenchmark
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        int tracks = a.Int("--tracks", 10_000), clients = a.Int("--clients", 16), seconds = a.Int("--seconds", 10), runs = a.Int("--runs", 3);
        var dir = a.Get("--dir") ?? Path.Combine(Path.GetTempPath(), "earworm-bench-web");
        var (catalogPath, _, _) = await WebBenchmark.EnsureCatalogAsync(dir, tracks);
        var accounts = new AccountService(new LibraryCache(new CatalogLocation(catalogPath)));
        accounts.Add("bench", "bench");
        var key = Uri.EscapeDataString(accounts.NewKey("bench", "benchmark").Key);
        Console.WriteLine($"subsonic: {tracks} tracks, {clients} clients × {seconds} s, {runs} runs; {Environment.ProcessorCount} cores");

        await using var server = await LoopbackServer.StartAsync(catalogPath);
        var similar = server.Service<SimilarService>();
        var ids = server.Service<LibraryCache>().Current.Tracks.Select(t => t.Id).ToArray();
        static bool Ok(HttpStatusCode status, byte[] body) => status == HttpStatusCode.OK && body.AsSpan().IndexOf("\"status\":\"ok\""u8) >= 0;
        (string Name, Func<long, string> Path)[] endpoints =
        [
            ("getSimilarSongs2 (count 50)", id => $"/rest/getSimilarSongs2.view?id={id}&count=50&f=json&c=bench&v=1.16.1&apiKey={key}"),
            ("getSimilarSongs2 (count 10)", id => $"/rest/getSimilarSongs2.view?id={id}&count=10&f=json&c=bench&v=1.16.1&apiKey={key}"),
            ("getSonicSimilarTracks (count 10)", id => $"/rest/getSonicSimilarTracks.view?id={id}&count=10&f=json&c=bench&v=1.16.1&apiKey={key}"),
        ];
        var only = a.Get("--endpoint");
        bool met = true;
        foreach (var (name, path) in endpoints.Where(e => only is null || e.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
            met &= await HttpLoad.MeasureAsync(name, server.Url, ids, similar, clients, seconds, runs, path, Ok);
        return met ? 0 : 1;
    }
}
