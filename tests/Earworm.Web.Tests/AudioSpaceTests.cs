using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Recommend.Spaces;
using Earworm.Testing;

namespace Earworm.Web.Tests;

/// <summary>
/// The learned audio space in the web app: an upload embedded by the catalog's audio model (a fake embedder here, with
/// one-hot track vectors, so the nearest tracks are known exactly) and placed in whichever space a request names, the
/// way `similar FILE` does; everything as before without an audio model or without the embedder; the audio model's
/// t-SNE map served when it maps the current model.
/// </summary>
[Collection(LibraryCollection.Name)]
public sealed class AudioSpaceTests(TestLibrary library)
{
    private static async Task<JsonElement> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status, params string[] detailContains)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(status == r.StatusCode, $"expected {status}, got {(int)r.StatusCode}: {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString();
        foreach (var part in detailContains) Assert.Contains(part, detail, StringComparison.OrdinalIgnoreCase);
    }

    private EarwormFactory Factory(AudioCatalog? audio, IAudioFileEmbedder? embedder) =>
        new(library, audio is null ? null : new Dictionary<string, string> { ["catalog"] = audio.CatalogPath, ["upload-folder"] = audio.UploadFolder }, embedder);

    private async Task<HttpResponseMessage> Analyse(HttpClient c, string query = "")
    {
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(await File.ReadAllBytesAsync(library.OutsideAudio));
        form.Add(file, "file", "my song.wav");
        return await c.PostAsync("/api/analyse" + query, form);
    }

    private static List<long> Ids(JsonElement picks) =>
        picks.EnumerateArray().Select(p => p.GetProperty("track").GetProperty("id").GetInt64()).ToList();

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(s => s.GetString()).ToList();

    private static void AssertNoFileLeft(string folder) =>
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(), $"files left in {folder}");

    [FfmpegFact]
    public async Task AnUploadIsEmbeddedWhileItsFileExistsAndWalksTheSpaceAsked()
    {
        using var audio = new AudioCatalog(library);
        var (first, second) = (library.Track("PianoBallad 2"), library.Track("House 1"));
        var embedder = new FixedEmbedder(audio.Between(first.Id, second.Id));
        using var factory = Factory(audio, embedder);
        using var c = factory.CreateClient();

        var r = await Json(await Analyse(c, "?count=2"));
        Assert.Equal("audio", r.GetProperty("similar").GetProperty("space").GetString()); // the best space the file has
        Assert.Equal([first.Id, second.Id], Ids(r.GetProperty("similar").GetProperty("results")));
        Assert.Equal(["audio", "hybrid", "descriptors"], Strings(r.GetProperty("spaces")));
        Assert.Equal(AudioCatalog.Version, r.GetProperty("audioModel").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("audioUnavailable").ValueKind);
        var call = Assert.Single(embedder.Calls);
        Assert.True(call.Existed, "the upload was embedded after its file was removed");
        Assert.Equal(Path.GetFullPath(audio.UploadFolder), Path.GetDirectoryName(call.Path));
        var upload = r.GetProperty("upload").GetString();

        var audioSpace = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "audio", length = 3, keepOn = 1, drunk = 0 }));
        Assert.Equal("audio", audioSpace.GetProperty("space").GetString());
        var picks = audioSpace.GetProperty("tracks");
        Assert.Equal(3, picks.GetArrayLength());
        Assert.Equal(first.Id, Ids(picks)[0]);
        Assert.Contains("pulled in by your file", Strings(picks[0].GetProperty("reasons")));
        var byDefault = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, length = 2, keepOn = 1 }));
        Assert.Equal("audio", byDefault.GetProperty("space").GetString());
        Assert.Equal(first.Id, Ids(byDefault.GetProperty("tracks"))[0]);
        var withHistory = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing",
            new { upload, space = "audio", history = new[] { first.Id }, length = 1, keepOn = 2 }));
        Assert.Equal(second.Id, Ids(withHistory.GetProperty("tracks"))[0]); // the file and the first pick together pull in the second
        var descriptors = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "descriptors", length = 3 }));
        Assert.Equal("descriptors", descriptors.GetProperty("space").GetString());
        Assert.Equal(3, descriptors.GetProperty("tracks").GetArrayLength());
        var hybrid = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "hybrid", length = 3 }));
        Assert.Equal("hybrid", hybrid.GetProperty("space").GetString());

        var inDescriptors = await Json(await Analyse(c, "?count=3&space=descriptors"));
        Assert.Equal("descriptors", inDescriptors.GetProperty("similar").GetProperty("space").GetString());
        Assert.Equal(3, inDescriptors.GetProperty("similar").GetProperty("results").GetArrayLength());
        var inHybrid = await Json(await Analyse(c, "?count=3&space=hybrid"));
        Assert.Equal("hybrid", inHybrid.GetProperty("similar").GetProperty("space").GetString());
        Assert.Equal(3, embedder.Calls.Count);
        Assert.All(embedder.Calls, x => Assert.True(x.Existed));
        AssertNoFileLeft(audio.UploadFolder);

        await AssertProblem(await Analyse(c, "?space=cf"), HttpStatusCode.BadRequest, "the cf space is empty", "train cf");
        Assert.Equal(3, embedder.Calls.Count); // refused before any work
        AssertNoFileLeft(audio.UploadFolder);
    }

    [FfmpegFact]
    public async Task WithoutTheEmbedderAnUploadStaysInTheDescriptorsSpace()
    {
        using var audio = new AudioCatalog(library);
        using var factory = Factory(audio, null);
        using var c = factory.CreateClient();

        var r = await Json(await Analyse(c, "?count=3"));
        Assert.Equal("descriptors", r.GetProperty("similar").GetProperty("space").GetString());
        Assert.Equal(3, r.GetProperty("similar").GetProperty("results").GetArrayLength());
        Assert.Equal(["descriptors"], Strings(r.GetProperty("spaces")));
        Assert.Equal(JsonValueKind.Null, r.GetProperty("audioModel").ValueKind);
        Assert.Contains("cannot embed", r.GetProperty("audioUnavailable").GetString(), StringComparison.Ordinal);
        var upload = r.GetProperty("upload").GetString();

        var played = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, length = 3 }));
        Assert.Equal("descriptors", played.GetProperty("space").GetString());
        Assert.Equal(3, played.GetProperty("tracks").GetArrayLength());
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "audio", length = 3 }),
            HttpStatusCode.BadRequest, "my song.wav cannot be placed in the audio space", "cannot embed", "it can be placed in: descriptors");
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "hybrid", length = 3 }),
            HttpStatusCode.BadRequest, "cannot be placed in the hybrid space");
        await AssertProblem(await Analyse(c, "?space=audio"), HttpStatusCode.BadRequest, "cannot be placed in the audio space");
        // the library's own tracks still walk the audio space
        var fromTrack = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { seeds = new[] { library.Track("House 1").Id }, space = "audio", length = 2 }));
        Assert.Equal("audio", fromTrack.GetProperty("space").GetString());
        AssertNoFileLeft(audio.UploadFolder);
    }

    [FfmpegFact]
    public async Task WithoutAnAudioModelTheEmbedderIsNeverAskedAndAudioIsRefused()
    {
        var embedder = new FixedEmbedder(new float[4]);
        using var factory = Factory(null, embedder);
        using var c = factory.CreateClient();

        var r = await Json(await Analyse(c, "?count=3"));
        Assert.Equal("descriptors", r.GetProperty("similar").GetProperty("space").GetString());
        Assert.Equal(["hybrid", "descriptors"], Strings(r.GetProperty("spaces"))); // the hybrid of the descriptors alone, as the CLI has it
        Assert.Contains("earworm train audio", r.GetProperty("audioUnavailable").GetString(), StringComparison.Ordinal);
        Assert.Empty(embedder.Calls);
        var upload = r.GetProperty("upload").GetString();
        await AssertProblem(await Analyse(c, "?space=audio"), HttpStatusCode.BadRequest, "the audio space is empty", "earworm train audio");
        await AssertProblem(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "audio", length = 3 }),
            HttpStatusCode.BadRequest, "the audio space is empty");
        Assert.Empty(embedder.Calls);
        AssertNoFileLeft(library.UploadFolder);
    }

    [FfmpegFact]
    public async Task AnEmbedderThatFailsLeavesTheDescriptors()
    {
        using var audio = new AudioCatalog(library);
        using var factory = Factory(audio, new FailingEmbedder());
        using var c = factory.CreateClient();
        var r = await Json(await Analyse(c, "?count=2"));
        Assert.Equal("descriptors", r.GetProperty("similar").GetProperty("space").GetString());
        Assert.Contains("could not embed it (the model's files are gone)", r.GetProperty("audioUnavailable").GetString(), StringComparison.Ordinal);
        AssertNoFileLeft(audio.UploadFolder);
    }

    [FfmpegFact]
    public async Task AnUploadEmbeddedByAnOlderAudioModelIsNotPlacedByTheNewOne()
    {
        using var audio = new AudioCatalog(library);
        var first = library.Track("DrumAndBass 1");
        using var factory = Factory(audio, new FixedEmbedder(audio.Between(first.Id, library.Track("House 2").Id)));
        using var c = factory.CreateClient();
        var upload = (await Json(await Analyse(c, "?count=1"))).GetProperty("upload").GetString();
        using (var catalog = CatalogStore.Open(audio.CatalogPath))
        {
            var model = catalog.SaveModel(SpaceService.Audio, "contrastive", "audio-test-0002", "{}", catalog.ListeningDataVersion(), null, null);
            var v = catalog.LoadTrackVectors(SpaceService.Audio);
            catalog.SaveTrackVectors(SpaceService.Audio, model.Id, v.Ids.Select((id, i) => (id, v.Data.AsSpan(i * v.Dims, v.Dims).ToArray())).ToList());
        }
        // The server looks at the catalog file at most once a second.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpResponseMessage response;
        while ((response = await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, space = "audio", length = 2 })).IsSuccessStatusCode
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        await AssertProblem(response, HttpStatusCode.BadRequest, $"embedded by audio model {AudioCatalog.Version}", "audio-test-0002", "send the file again");
        var descriptors = await Json(await c.PostAsJsonAsync("/api/playlist/keep-playing", new { upload, length = 2 }));
        Assert.Equal("descriptors", descriptors.GetProperty("space").GetString());
    }

    [FfmpegFact]
    public async Task TheAudioMapIsTheTsneOfTheCurrentModel()
    {
        using var audio = new AudioCatalog(library);
        using var factory = Factory(audio, null);
        using var c = factory.CreateClient();

        var before = await Json(await c.GetAsync("/api/map"));
        Assert.Equal("audio", before.GetProperty("space").GetString()); // the best space
        Assert.Equal("pca", before.GetProperty("method").GetString());
        Assert.Contains("earworm inspect model", before.GetProperty("note").GetString(), StringComparison.Ordinal);

        var file = audio.WriteMap(AudioCatalog.Version, library);
        var map = await Json(await c.GetAsync("/api/map"));
        Assert.Equal("audio", map.GetProperty("space").GetString());
        Assert.Equal("tsne", map.GetProperty("method").GetString());
        Assert.Equal(0.9876, map.GetProperty("trustworthiness").GetDouble());
        Assert.Equal(0.4321, map.GetProperty("klDivergence").GetDouble());
        Assert.Equal(AudioCatalog.Version, map.GetProperty("modelVersion").GetString());
        Assert.Equal(JsonValueKind.Null, map.GetProperty("explainedVariance").ValueKind);
        Assert.Equal(JsonValueKind.Null, map.GetProperty("note").ValueKind);
        var points = map.GetProperty("points").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt64(), p => (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble()));
        Assert.Equal(file.Points.ToDictionary(p => p.Id, p => (p.X, p.Y)), points);
        Assert.Equal(file.Points.ToDictionary(p => p.Id, p => p.Group),
            map.GetProperty("points").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt64(), p => p.GetProperty("group").GetString()!));
        Assert.Equal(map.GetRawText(), (await Json(await c.GetAsync("/api/map?space=audio"))).GetRawText());

        var descriptors = await Json(await c.GetAsync("/api/map?space=descriptors"));
        Assert.Equal("pca", descriptors.GetProperty("method").GetString());
        Assert.InRange(descriptors.GetProperty("explainedVariance").GetDouble(), 0.01, 1);

        // A map drawn before a track was embedded still serves, and says what it lacks.
        var partial = file with { Points = file.Points.Skip(1).ToList() };
        partial.Save(audio.MapFile);
        var lacking = await Json(await c.GetAsync("/api/map"));
        Assert.Equal("tsne", lacking.GetProperty("method").GetString());
        Assert.Equal(file.Points.Count - 1, lacking.GetProperty("points").GetArrayLength());
        Assert.Contains("1 track(s) of the audio space are not on the t-SNE map", lacking.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task AStaleAudioMapIsIgnored()
    {
        using var audio = new AudioCatalog(library);
        audio.WriteMap("audio-old-model", library);
        using var factory = Factory(audio, null);
        using var c = factory.CreateClient();
        var map = await Json(await c.GetAsync("/api/map"));
        Assert.Equal("audio", map.GetProperty("space").GetString());
        Assert.Equal("pca", map.GetProperty("method").GetString());
        Assert.InRange(map.GetProperty("explainedVariance").GetDouble(), 0.01, 1);
        var note = map.GetProperty("note").GetString();
        Assert.Contains("audio-old-model", note, StringComparison.Ordinal);
        Assert.Contains(AudioCatalog.Version, note, StringComparison.Ordinal);
        Assert.Equal(library.Tracks.Count, map.GetProperty("points").GetArrayLength());
        var house = library.Track("House 1").Id;
        Assert.Equal("Warehouse Hours", map.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == house).GetProperty("group").GetString());

        await File.WriteAllTextAsync(audio.MapFile, "{ not a map");
        var broken = await Json(await c.GetAsync("/api/map"));
        Assert.Equal("pca", broken.GetProperty("method").GetString());
        Assert.Contains("could not be read", broken.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    private sealed class FailingEmbedder : IAudioFileEmbedder
    {
        public Task<float[]> EmbedAsync(string path, CancellationToken cancellationToken) =>
            throw new UsageException("the model's files are gone");
    }
}
