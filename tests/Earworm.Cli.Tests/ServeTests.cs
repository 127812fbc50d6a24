using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>serve</c> with a real audio model (<c>train audio</c>, tiny) and its map (<c>inspect model</c>): a file sent to
/// the page is embedded by the catalog's current audio model (the CLI hands it to the web app) and the map is the t-SNE.</summary>
public sealed class ServeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [FfmpegFact]
    public async Task Serve_embeds_an_uploaded_file_with_the_current_audio_model_and_serves_its_tsne_map()
    {
        var library = await SynthLibrary.WriteAsync(_dir.File("lib"), (SynthStyle.AmbientPad, "Pads"), (SynthStyle.DrumAndBass, "Breaks"));
        var outside = _dir.File("outside.wav");
        await SynthLibrary.WriteTrackAsync(outside, TrackSpec.Typical(SynthStyle.DrumAndBass, tonic: 5, seed: 9, durationSeconds: 6));

        var db = _dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--db", db, library)).ExitCode);
        var train = await CliRunner.RunAsync("--db", db, "train", "audio", "--init", "scratch", "--epochs", "1", "--seconds", "2.5", "--dims", "16", "--threads", "1",
            "--batch-size", "4", "--validation", "0");
        Assert.True(train.ExitCode == 0, train.Err);
        var inspect = await CliRunner.RunAsync("--db", db, "inspect", "model", "--out", _dir.File("inspect"), "--filters", "0", "--pick", "1",
            "--count", "2", "--threads", "1", "--iterations", "250");
        Assert.True(inspect.ExitCode == 0, inspect.Err);
        string version;
        using (var catalog = CatalogStore.Open(db)) version = catalog.CurrentModel("audio")!.Version;

        int port = FreePort();
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var serve = Task.Run(() => CliApp.RunAsync(["--db", db, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--max-upload-mb", "10"], stdout, stderr, interactive: false, stop.Token));
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
            await WaitUntilServing(http, serve, stderr);

            using var form = new MultipartFormDataContent();
            using var file = new ByteArrayContent(await File.ReadAllBytesAsync(outside));
            form.Add(file, "file", "outside.wav");
            var analysed = await Json(await http.PostAsync("/api/analyse?count=2", form));
            Assert.Equal(version, analysed.GetProperty("audioModel").GetString());
            Assert.Equal("audio", analysed.GetProperty("similar").GetProperty("space").GetString());
            Assert.Equal(2, analysed.GetProperty("similar").GetProperty("results").GetArrayLength());
            Assert.Contains("audio", analysed.GetProperty("spaces").EnumerateArray().Select(s => s.GetString()));
            var upload = analysed.GetProperty("upload").GetString();
            var playlist = await Json(await http.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "audio", length = 3 }));
            Assert.Equal("audio", playlist.GetProperty("space").GetString());
            Assert.Equal(3, playlist.GetProperty("tracks").GetArrayLength());

            var map = await Json(await http.GetAsync("/api/map"));
            Assert.Equal("tsne", map.GetProperty("method").GetString());
            Assert.Equal(version, map.GetProperty("modelVersion").GetString());
            Assert.Equal(4, map.GetProperty("points").GetArrayLength());
            Assert.InRange(map.GetProperty("trustworthiness").GetDouble(), 0, 1);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await serve);
    }

    [FfmpegFact]
    public async Task Serve_on_port_0_says_the_port_it_got_and_a_taken_port_is_one_line()
    {
        var library = await SynthLibrary.WriteAsync(_dir.File("lib0"), (SynthStyle.AmbientPad, "Pads"));
        var db = _dir.File("p.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--db", db, "--no-embed", library)).ExitCode);

        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var serve = Task.Run(() => CliApp.RunAsync(["--db", db, "serve", "--port", "0"], stdout, stderr, interactive: false, stop.Token));
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            System.Text.RegularExpressions.Match said;
            while (!(said = System.Text.RegularExpressions.Regex.Match(stderr.ToString(), @"on http://127\.0\.0\.1:(\d+)/")).Success)
            {
                if (serve.IsCompleted) Assert.Fail($"serve stopped with {await serve}: {stderr}");
                Assert.True(DateTime.UtcNow < deadline, $"serve said no address: {stderr}");
                await Task.Delay(100);
            }
            int port = int.Parse(said.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.NotEqual(0, port);   // it said ":0/" before
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True((await http.GetAsync("/api/status")).IsSuccessStatusCode);

            // the same port again, as a process of its own (the host logs to the console, not to the writers above):
            // the one-line error, without the host's report and stack trace before it
            using var taken = CliRunner.Start(_dir.File("home"), "--db", db, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var err = taken.StandardError.ReadToEndAsync();
            var @out = taken.StandardOutput.ReadToEndAsync();
            Assert.True(taken.WaitForExit(60_000), "a second serve on a taken port did not stop");
            Assert.Equal(2, taken.ExitCode);
            string said2 = await err + await @out;
            Assert.Contains($"cannot listen on 127.0.0.1:{port}", said2, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", said2, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", said2, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await serve);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilServing(HttpClient http, Task<int> serve, StringWriter stderr)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (serve.IsCompleted) Assert.Fail($"serve stopped with {await serve}: {stderr}");
            try
            {
                if ((await http.GetAsync("/api/status")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Assert.Fail("serve did not answer within 60 s");
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
