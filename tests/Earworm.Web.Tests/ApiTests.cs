using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Web.Tests;

[Collection(LibraryCollection.Name)]
public sealed class ApiTests(TestLibrary library) : IDisposable
{
    private readonly EarwormFactory _factory = new(library);

    public void Dispose() => _factory.Dispose();

    private HttpClient Client() => _factory.CreateClient();

    private static async Task<JsonElement> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status, string? detailContains = null)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(status == r.StatusCode, $"expected {status}, got {(int)r.StatusCode}: {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var p = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, p.GetProperty("status").GetInt32());
        if (detailContains is not null) Assert.Contains(detailContains, p.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [FfmpegFact]
    public async Task TracksListSearchSortAndDetail()
    {
        using var c = Client();
        var all = await Json(await c.GetAsync("/api/tracks"));
        Assert.Equal(library.Tracks.Count, all.GetProperty("total").GetInt32());

        var house = await Json(await c.GetAsync("/api/tracks?q=nightbus%20house"));
        Assert.Equal(["House 1", "House 2"], house.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("title").GetString()).Order());
        var accents = await Json(await c.GetAsync("/api/tracks?q=WEISS"));
        Assert.Equal(2, accents.GetProperty("total").GetInt32()); // "Weiß" is found as "weiss" (MatchText folds ß to ss)
        var folded = await Json(await c.GetAsync("/api/tracks?q=stucke"));
        Assert.Equal(2, folded.GetProperty("total").GetInt32());

        var byTempo = await Json(await c.GetAsync("/api/tracks?sort=tempo&desc=true"));
        var tempos = byTempo.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("tempoBpm").GetDouble()).ToList();
        Assert.Equal(tempos.OrderDescending(), tempos);

        var id = library.Track("House 1").Id;
        var detail = await Json(await c.GetAsync($"/api/tracks/{id}"));
        Assert.Equal("Nightbus Collective", detail.GetProperty("track").GetProperty("artist").GetString());
        Assert.InRange(detail.GetProperty("descriptors").GetProperty("tempoBpm").GetDouble(), 100, 140);
        Assert.True(detail.GetProperty("descriptors").GetProperty("mfccMeans").GetArrayLength() >= 13);

        await AssertProblem(await c.GetAsync("/api/tracks/999999"), HttpStatusCode.NotFound, "no track 999999");
        await AssertProblem(await c.GetAsync("/api/tracks?limit=abc"), HttpStatusCode.BadRequest);
        await AssertProblem(await c.GetAsync("/api/tracks?sort=colour"), HttpStatusCode.BadRequest, "sort must be");
        await AssertProblem(await c.GetAsync("/api/tracks?offset=-1"), HttpStatusCode.BadRequest);
    }

    [FfmpegFact]
    public async Task SimilarLeavesOutTheQueryAndFindsItsStyle()
    {
        using var c = Client();
        var house = library.Track("House 1");
        var r = await Json(await c.GetAsync($"/api/tracks/{house.Id}/similar?count=3"));
        var ids = r.GetProperty("results").EnumerateArray().Select(x => x.GetProperty("track").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.DoesNotContain(house.Id, ids);
        Assert.All(r.GetProperty("results").EnumerateArray(), x => Assert.True(x.GetProperty("reasons").GetArrayLength() > 0));
        Assert.Equal("descriptors", r.GetProperty("space").GetString());
        await AssertProblem(await c.GetAsync($"/api/tracks/{house.Id}/similar?count=0"), HttpStatusCode.BadRequest, "count");
        await AssertProblem(await c.GetAsync($"/api/tracks/{house.Id}/similar?space=cf"), HttpStatusCode.BadRequest, "the cf space is empty");
    }

    [FfmpegFact]
    public async Task KeepPlayingNeverRepeatsHonoursExclusionsAndIsReproducible()
    {
        using var c = Client();
        var seed = library.Track("AmbientPad 1");
        var excluded = library.Tracks.First(t => t.Title!.StartsWith("PianoBallad", StringComparison.Ordinal)).Id;
        var request = new { seeds = new[] { seed.Id }, length = 6, keepOn = 2, drunk = 0.3, seedRandom = 7, exclude = new[] { excluded } };
        var a = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", request));
        var b = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", request));
        var ids = a.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain(seed.Id, ids);
        Assert.DoesNotContain(excluded, ids);
        Assert.Equal(ids, b.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track").GetProperty("id").GetInt64()));
        Assert.All(a.GetProperty("tracks").EnumerateArray(), t =>
            Assert.Contains(t.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("pulled in by", StringComparison.Ordinal)));

        var tempo = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { seeds = new[] { seed.Id }, length = 3, tempo = "150-190" }));
        foreach (var t in tempo.GetProperty("tracks").EnumerateArray())
        {
            double bpm = t.GetProperty("track").GetProperty("tempoBpm").GetDouble();
            Assert.True(bpm is >= 150 and <= 190 || tempo.GetProperty("gaveWay").EnumerateArray().Any(g => g.GetString()!.StartsWith("tempo", StringComparison.Ordinal)));
        }
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { seeds = new[] { seed.Id }, keepOn = 0 }), HttpStatusCode.BadRequest, "keep-on");
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { seeds = new[] { seed.Id }, tempo = "fast" }), HttpStatusCode.BadRequest, "tempo");
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { length = 3 }), HttpStatusCode.BadRequest, "seeds");
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { seeds = new[] { 424242 } }), HttpStatusCode.NotFound);
    }

    [FfmpegFact]
    public async Task JoinTheDotsStartsAndEndsWhereAskedThroughTheWaypoint()
    {
        using var c = Client();
        long from = library.Tracks.First(t => t.Title!.StartsWith("House", StringComparison.Ordinal)).Id;
        long to = library.Tracks.First(t => t.Title!.StartsWith("PianoBallad", StringComparison.Ordinal)).Id;
        long via = library.Tracks.First(t => t.Title!.StartsWith("AmbientPad", StringComparison.Ordinal)).Id;
        var r = await Json(await c.PostAsJsonAsync("/api/playlist/join-the-dots", new { from, to, via = new[] { via }, length = 6 }));
        var ids = r.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(from, ids[0]);
        Assert.Equal(to, ids[^1]);
        Assert.Contains(via, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var m3u = await c.PostAsJsonAsync("/api/playlist/m3u8", new { tracks = ids, name = "a walk" });
        Assert.Equal(HttpStatusCode.OK, m3u.StatusCode);
        var text = await m3u.Content.ReadAsStringAsync();
        Assert.StartsWith("#EXTM3U", text, StringComparison.Ordinal);
        Assert.Equal(6, text.Split('\n').Count(l => l.StartsWith("#EXTINF", StringComparison.Ordinal)));
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/join-the-dots", new { from, to, length = 1 }), HttpStatusCode.BadRequest, "length");
    }

    [FfmpegFact]
    public async Task FeedbackIsRecordedSteersPlaylistsAndFeedsRecommendations()
    {
        using var c = Client();
        var user = "listener-" + Guid.NewGuid().ToString("N")[..6];
        await AssertProblem(await c.GetAsync($"/api/recommend?user={user}"), HttpStatusCode.NotFound, user);
        var liked = library.Track("House 1");
        await AssertProblem(await c.GetAsync($"/api/next?after={liked.Id}"), HttpStatusCode.BadRequest, "earworm train sequence");
        var disliked = library.Track("House 2");
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsJsonAsync("/api/feedback", new { trackId = liked.Id, kind = "like", user })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsJsonAsync("/api/feedback", new { trackId = disliked.Id, kind = "dislike", user })).StatusCode);
        using (var catalog = CatalogStore.Open(library.CatalogPath))
        {
            var f = catalog.FeedbackOf(user);
            Assert.Equal([FeedbackKind.Dislike, FeedbackKind.Like], f.Select(x => x.Kind));
        }
        var playlist = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { seeds = new[] { liked.Id }, length = 8, user }));
        Assert.DoesNotContain(disliked.Id, playlist.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track").GetProperty("id").GetInt64()));
        var rec = await Json(await c.GetAsync($"/api/recommend?user={user}&count=3"));
        var recIds = rec.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, recIds.Count);
        Assert.DoesNotContain(liked.Id, recIds);
        Assert.DoesNotContain(disliked.Id, recIds);

        await AssertProblem(await c.PostAsJsonAsync("/api/feedback", new { trackId = liked.Id, kind = "love" }), HttpStatusCode.BadRequest);
        await AssertProblem(await c.PostAsJsonAsync("/api/feedback", new { trackId = liked.Id }), HttpStatusCode.BadRequest, "kind");
        await AssertProblem(await c.PostAsJsonAsync("/api/feedback", new { trackId = 777777, kind = "like" }), HttpStatusCode.NotFound);
    }

    [FfmpegFact]
    public async Task MalformedJsonAndWrongTypesAre400WithProblemDetails()
    {
        using var c = Client();
        foreach (var body in new[] { "{\"seeds\":[1],\"length\":", "not json", "{\"seeds\":\"one\"}", "{\"seeds\":[1],\"length\":\"3\"}", "" })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            await AssertProblem(await c.PostAsync("/api/playlist/keep-playing", content), HttpStatusCode.BadRequest);
        }
        using var xml = new StringContent("<a/>", Encoding.UTF8, "application/xml");
        var r = await c.PostAsync("/api/feedback", xml);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
    }

    [FfmpegFact]
    public async Task AudioStreamsWithRangesByIdOnly()
    {
        using var c = Client();
        var track = library.Track("House 1");
        var bytes = await File.ReadAllBytesAsync(track.Path);
        var whole = await c.GetAsync($"/api/tracks/{track.Id}/audio");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/tracks/{track.Id}/audio");
        ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
        var part = await c.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[1000..2000], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, part.Content.Headers.ContentRange?.Length);

        using var tail = new HttpRequestMessage(HttpMethod.Get, $"/api/tracks/{track.Id}/audio");
        tail.Headers.Range = new RangeHeaderValue(null, 100);
        Assert.Equal(bytes[^100..], await (await c.SendAsync(tail)).Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/tracks/{track.Id}/audio");
        beyond.Headers.Range = new RangeHeaderValue(bytes.Length + 10, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await c.SendAsync(beyond)).StatusCode);
    }

    [FfmpegFact]
    public async Task NoPathEverReachesTheFileSystem()
    {
        using var c = Client();
        var passwd = await File.ReadAllTextAsync("/etc/passwd");
        string[] attempts =
        [
            "/api/tracks/..%2F..%2F..%2Fetc%2Fpasswd/audio", "/api/tracks/%2Fetc%2Fpasswd/audio", "/api/tracks/1/audio/../../../../etc/passwd",
            "/api/tracks/%2e%2e%2f%2e%2e%2fetc%2fpasswd/audio", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2f..%2fetc%2fpasswd", "/js/..%2f..%2f..%2f..%2fetc%2fpasswd", "/api/tracks//etc/passwd/audio", "/etc/passwd",
            $"/api/tracks/{library.Track("House 1").Id}/audio?path=/etc/passwd", "/api/tracks/-1/audio", "/api/tracks/1.5/audio",
            "/api/tracks/99999999999999999999/audio",
        ];
        foreach (var a in attempts)
        {
            var r = await c.GetAsync(new Uri(a, UriKind.Relative));
            var body = await r.Content.ReadAsStringAsync();
            Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
            Assert.False(body.Length > 0 && passwd.Contains(body, StringComparison.Ordinal), a);
            if (!a.Contains("?path=", StringComparison.Ordinal)) Assert.True((int)r.StatusCode is >= 400 and < 500, $"{a}: {(int)r.StatusCode}");
        }
        // A link in the library that leads out of it, and a file swapped for a link to /etc/passwd after the scan.
        await AssertProblem(await c.GetAsync($"/api/tracks/{library.LinkedOutTrack}/audio"), HttpStatusCode.Forbidden, "outside the library");
        await AssertProblem(await c.GetAsync($"/api/tracks/{library.SwappedTrack}/audio"), HttpStatusCode.Forbidden, "outside the library");
    }

    [FfmpegFact]
    public async Task AnUploadedCopyOfALibraryTrackNeverBringsThatTrackBack()
    {
        using var c = Client();
        var house = library.Track("House 1");
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(await File.ReadAllBytesAsync(house.Path));
        form.Add(file, "file", "a copy.wav");
        var r = await Json(await c.PostAsync($"/api/analyse?count={library.Tracks.Count}&space=descriptors", form));
        var ids = r.GetProperty("similar").GetProperty("results").EnumerateArray().Select(p => p.GetProperty("track").GetProperty("id").GetInt64()).ToList();
        Assert.NotEmpty(ids);
        Assert.DoesNotContain(house.Id, ids);
        var playlist = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing",
            new { upload = r.GetProperty("upload").GetString(), space = "descriptors", length = 6 }));
        var played = playlist.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(6, played.Count);
        Assert.DoesNotContain(house.Id, played);
    }

    [FfmpegFact]
    public async Task AnAnalysedUploadGivesDescriptorsNeighboursAndAPlaylistAndLeavesNoFile()
    {
        using var c = Client();
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(await File.ReadAllBytesAsync(library.OutsideAudio));
        form.Add(file, "file", "../../my song.wav");
        var r = await Json(await c.PostAsync("/api/analyse?count=3", form));
        Assert.Equal("my song.wav", r.GetProperty("fileName").GetString());
        Assert.True(r.GetProperty("descriptors").GetProperty("tempoBpm").GetDouble() > 0);
        Assert.Equal(3, r.GetProperty("similar").GetProperty("results").GetArrayLength());
        var upload = r.GetProperty("upload").GetString();
        var playlist = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, length = 4 }));
        Assert.Equal(4, playlist.GetProperty("tracks").GetArrayLength());
        Assert.Empty(Directory.EnumerateFileSystemEntries(library.UploadFolder));

        using var notAudio = new MultipartFormDataContent();
        using var text = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("hello, not audio\n", 500))));
        notAudio.Add(text, "file", "notes.mp3");
        await AssertProblem(await c.PostAsync("/api/analyse", notAudio), HttpStatusCode.BadRequest, "notes.mp3");
        Assert.Empty(Directory.EnumerateFileSystemEntries(library.UploadFolder));
        using var none = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        await AssertProblem(await c.PostAsync("/api/analyse", none), HttpStatusCode.BadRequest);
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload = "nope" }), HttpStatusCode.BadRequest, "no analysed upload");
    }

    [FfmpegFact]
    public async Task UploadsOverTheLimitAreRefused()
    {
        using var small = new EarwormFactory(library, new Dictionary<string, string> { ["max-upload-mb"] = "1" });
        using var c = small.CreateClient();
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(new byte[3 * 1024 * 1024]);
        form.Add(file, "file", "big.wav");
        await AssertProblem(await c.PostAsync("/api/analyse", form), HttpStatusCode.RequestEntityTooLarge, "larger than this server takes (1 MB");
        Assert.False(Directory.Exists(library.UploadFolder) && Directory.EnumerateFileSystemEntries(library.UploadFolder).Any());
    }

    [FfmpegFact]
    public async Task MapStatusOpenApiAndThePage()
    {
        using var c = Client();
        var map = await Json(await c.GetAsync("/api/map"));
        var points = map.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(library.Tracks.Count, points.Count);
        Assert.All(points, p => Assert.InRange(p.GetProperty("x").GetDouble(), -1, 1));
        Assert.InRange(map.GetProperty("explainedVariance").GetDouble(), 0.01, 1);

        var status = await Json(await c.GetAsync("/api/status"));
        Assert.Equal(library.Tracks.Count, status.GetProperty("counts").GetProperty("analysed").GetInt32());
        Assert.False(status.GetProperty("scan").GetProperty("running").GetBoolean());
        Assert.False(status.GetProperty("training").GetProperty("running").GetBoolean());

        var openapi = await Json(await c.GetAsync("/openapi/v1.json"));
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var p in new[] { "/api/tracks", "/api/tracks/{id}", "/api/tracks/{id}/similar", "/api/tracks/{id}/audio", "/api/playlist/keep-playing",
                     "/api/playlist/join-the-dots", "/api/recommend", "/api/discover", "/api/next", "/api/analyse", "/api/feedback", "/api/map", "/api/status" })
            Assert.Contains(p, paths);
        // discover needs the listener's plays and a cf model (the service's tests cover the list itself)
        await AssertProblem(await c.GetAsync("/api/discover?user=nobody-here"), HttpStatusCode.BadRequest, "nobody-here");

        var page = await c.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Earworm</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var js = await c.GetAsync("/js/app.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/js/nothing.js")).StatusCode);
    }

    [FfmpegFact]
    public async Task WithATokenEveryRequestMustCarryIt()
    {
        const string token = "s3cret-token-for-tests";
        using var f = new EarwormFactory(library, new Dictionary<string, string> { ["token"] = token });
        using var c = f.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        await AssertProblem(await c.GetAsync("/api/status"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync($"/api/tracks/{library.Track("House 1").Id}/audio")).StatusCode);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await c.SendAsync(wrong)).StatusCode);
        }
        using (var right = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await c.SendAsync(right)).StatusCode);
        }
        // The page opened once with ?token= sets a cookie the audio element's requests then carry.
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/?token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/api/tracks/{library.Track("House 1").Id}/audio")).StatusCode);
    }

    [FfmpegFact]
    public async Task AScanInAnotherProcessAndTrainingShowTheirProgress()
    {
        using var c = Client();
        var progress = library.CatalogPath + ".train-progress.json";
        long scanId;
        using (var catalog = CatalogStore.Open(library.CatalogPath)) scanId = catalog.StartScan([library.LibraryFolder]);
        try
        {
            // As `earworm scan` holds it: an exclusive lock on the lock file beside the catalog.
            using (new FileStream(library.CatalogPath + ".scan-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                await File.WriteAllTextAsync(progress, """{"space":"audio","done":3,"total":10,"message":"epoch 3/10, loss 0.41"}""");
                var s = await Json(await c.GetAsync("/api/status"));
                Assert.True(s.GetProperty("scan").GetProperty("running").GetBoolean());
                var t = s.GetProperty("training");
                Assert.True(t.GetProperty("running").GetBoolean());
                Assert.Equal("audio", t.GetProperty("space").GetString());
                Assert.Equal(3, t.GetProperty("done").GetDouble());
                Assert.Equal("epoch 3/10, loss 0.41", t.GetProperty("message").GetString());
            }
            File.Delete(progress);
            var after = await Json(await c.GetAsync("/api/status"));
            Assert.False(after.GetProperty("scan").GetProperty("running").GetBoolean()); // lock released: a killed scan is not running
            Assert.False(after.GetProperty("training").GetProperty("running").GetBoolean());
        }
        finally
        {
            File.Delete(progress);
            using var catalog = CatalogStore.Open(library.CatalogPath);
            catalog.FinishScan(scanId, "completed", 0, 0, 0, 0, 0);
        }
    }

    [Fact]
    public void BindingBeyondLoopbackNeedsAToken()
    {
        Assert.Throws<UsageException>(() => new WebOptions { CatalogPath = "x.db", Host = "0.0.0.0" }.Validate());
        Assert.Throws<UsageException>(() => new WebOptions { CatalogPath = "x.db", Host = "192.168.1.5", Token = "short" }.Validate());
        new WebOptions { CatalogPath = "x.db", Host = "0.0.0.0", Token = "long-enough-secret" }.Validate();
        new WebOptions { CatalogPath = "x.db" }.Validate();
        new WebOptions { CatalogPath = "x.db", Host = "::1" }.Validate();
        Assert.True(new WebOptions { CatalogPath = "x.db", Host = "localhost" }.IsLoopback);
        Assert.False(new WebOptions { CatalogPath = "x.db", Host = "::" }.IsLoopback);
    }
}
