using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary>An event the server acknowledged survives the server being killed (kill -9) mid-stream.</summary>
public sealed class EventLogKillTests
{
    [Fact]
    public async Task AcknowledgedOutcomesSurviveKillMinus9()
    {
        using var dir = new TempDirectory();
        var db = dir.File("catalog.db");
        List<long> tracks;
        using (var catalog = CatalogStore.Open(db)) tracks = SixTrackCatalog.Fill(catalog);
        int port = FreePort();
        using var server = CliRunner.Start(dir.Path, "--db", db, "serve", "--port", port.ToString(CultureInfo.InvariantCulture));
        // drained as it comes, so a full pipe never blocks the server
        var said = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilServing(http, server, said);
            // four clients post skips as fast as they are answered; the server is killed while they do
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
            {
                for (int n = 0; !stop.IsCancellationRequested; n++)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.PostAsJsonAsync("/api/feedback",
                            new { trackId = tracks[n % tracks.Count], kind = "skip", user = $"listener{c}", context = "kill test" }, stop.Token);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException) { return; }
                    if (response.StatusCode != HttpStatusCode.Created) return;
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                    acknowledged.Add(body.RootElement.GetProperty("id").GetInt64());
                }
            })).ToArray();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 40 && DateTime.UtcNow < deadline) await Task.Delay(20);
            server.Kill(); // SIGKILL: no shutdown, no flush, no finally
            await server.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            Assert.True(acknowledged.Count >= 40, $"only {acknowledged.Count} acknowledged before the deadline");

            using var after = CatalogStore.Open(db);
            var outcomes = after.ReadOutcomes(0, 1_000_000);
            var feedback = Enumerable.Range(0, 4).SelectMany(c => after.FeedbackOf($"listener{c}", 1_000_000)).Select(f => f.Id).ToHashSet();
            Assert.Superset(acknowledged.ToHashSet(), feedback);
            // each acknowledged feedback was committed with its outcome on the same connection, before the answer
            Assert.True(outcomes.Count >= acknowledged.Count, $"{outcomes.Count} outcomes for {acknowledged.Count} acknowledged skips");
            Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Skip, o.Outcome.Kind));
        }
        finally
        {
            if (!server.HasExited) server.Kill();
        }
    }

    private static async Task WaitUntilServing(HttpClient http, System.Diagnostics.Process server, System.Text.StringBuilder said)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) lock (said) Assert.Fail("the server exited: " + said);
            try
            {
                if ((await http.GetAsync("/api/status")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        Assert.Fail("the server did not start in 90 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
