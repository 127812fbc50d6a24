using System.Globalization;
using System.Net;
using Earworm.App;
using Earworm.App.Accounts;
using Earworm.App.Library;
using Earworm.App.Similar;
using Earworm.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Earworm.Benchmarks;

/// <summary>
/// The OpenSubsonic API under load, over loopback: the Instant Mix (<c>getSimilarSongs2</c>, count 50, its default and
/// what apps send) and <c>getSonicSimilarTracks</c> (count 10, its default) on the web benchmark's catalog of --tracks
/// synthetic tracks, each from --clients keep-alive clients signed in with an API key (f=json) for --seconds, --runs
/// times: requests/s, p50/p99, errors (an answer that is not status "ok" counts). The reference in the same run is the
/// similar query called directly (no HTTP, no sign-in, count 10) from as many threads. Target: ≥ 2000 req/s at
/// p99 ≤ 20 ms with no errors.
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

        var app = EarwormServer.Build([], new WebOptions { CatalogPath = catalogPath, Port = 0 }, l => l.ClearProviders());
        await app.StartAsync();
        var url = app.Urls.First().TrimEnd('/');
        var library = (LibraryCache)app.Services.GetService(typeof(LibraryCache))!;
        var similar = (SimilarService)app.Services.GetService(typeof(SimilarService))!;
        var ids = library.Current.Tracks.Select(t => t.Id).ToArray();
        static bool Ok(HttpStatusCode status, byte[] body) => status == HttpStatusCode.OK && body.AsSpan().IndexOf("\"status\":\"ok\""u8) >= 0;
        (string Name, Func<long, string> Path)[] endpoints =
        [
            ("getSimilarSongs2 (count 50)", id => $"/rest/getSimilarSongs2.view?id={id}&count=50&f=json&c=bench&v=1.16.1&apiKey={key}"),
            ("getSonicSimilarTracks (count 10)", id => $"/rest/getSonicSimilarTracks.view?id={id}&count=10&f=json&c=bench&v=1.16.1&apiKey={key}"),
        ];
        bool met = true;
        try
        {
            foreach (var (name, path) in endpoints)
            {
                var warm = await WebBenchmark.LoadAsync(url, ids, clients, 2, path, Ok);
                if (warm.Errors > 0) throw new InvalidOperationException($"{name}: the warm-up had {warm.Errors} failed requests");
                var http = new List<(double Rps, double P50, double P99, double Max, long Errors)>();
                var direct = new List<double>();
                for (int run = 1; run <= runs; run++)
                {
                    IdleWait.Wait();
                    var r = await WebBenchmark.LoadAsync(url, ids, clients, seconds, path, Ok);
                    http.Add(r);
                    direct.Add(WebBenchmark.Direct(similar, ids, clients, seconds));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name} run {run}: {r.Rps:0} req/s, p50 {r.P50:0.00} ms, p99 {r.P99:0.00} ms, max {r.Max:0.0} ms, errors {r.Errors}; direct similar {direct[^1]:0} queries/s"));
                }
                double Median(IEnumerable<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }
                double rps = Median(http.Select(h => h.Rps)), p99 = Median(http.Select(h => h.P99)), dm = Median(direct);
                bool ok = rps >= 2000 && p99 <= 20 && http.All(h => h.Errors == 0);
                met &= ok;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: median {rps:0} req/s, p50 {Median(http.Select(h => h.P50)):0.00} ms, p99 {p99:0.00} ms, errors {http.Sum(h => h.Errors)} " +
                    $"(target ≥ 2000 req/s at p99 ≤ 20 ms: {(ok ? "met" : "NOT met")}); direct similar {dm:0} queries/s, API/direct = {rps / dm:0.00}"));
            }
            return met ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
