using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Earworm.Testing;

namespace Earworm.Web.Tests;

/// <summary>A track's tags over REST (read, add, remove) and a playlist asked for in words.</summary>
[Collection(LibraryCollection.Name)]
public sealed class WordApiTests(TestLibrary library) : IDisposable
{
    private readonly EarwormFactory _factory = new(library);

    public void Dispose() => _factory.Dispose();

    private static async Task<JsonElement> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static List<(string, string)> Tags(JsonElement r) =>
        [.. r.GetProperty("tags").EnumerateArray().Select(t => (t.GetProperty("tag").GetString()!, t.GetProperty("source").GetString()!))];

    private static async Task Problem(HttpResponseMessage r, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Contains(detail, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task ATracksTagsAreReadAddedAndRemovedThroughTheApi()
    {
        using var c = _factory.CreateClient();
        var id = library.Track("AmbientPad 1").Id;
        Assert.Equal([("ambient", "file")], Tags(await Json(await c.GetAsync($"/api/tracks/{id}/tags"))));
        var added = await Json(await c.PostAsJsonAsync($"/api/tracks/{id}/tags", new { tag = "Rainy-Day" }));
        Assert.Contains(("rainy day", "user"), Tags(added));
        Assert.Contains(("rainy day", "user"), Tags(await Json(await c.GetAsync($"/api/tracks/{id}/tags"))));
        var removed = await Json(await c.DeleteAsync($"/api/tracks/{id}/tags/rainy%20day"));
        Assert.DoesNotContain(("rainy day", "user"), Tags(removed));
        await Problem(await c.DeleteAsync($"/api/tracks/{id}/tags/ambient"), HttpStatusCode.BadRequest, "no tag 'ambient' a person added");
        await Problem(await c.PostAsJsonAsync($"/api/tracks/{id}/tags", new { tag = "!!" }), HttpStatusCode.BadRequest, "is not a tag");
        await Problem(await c.GetAsync("/api/tracks/999999/tags"), HttpStatusCode.NotFound, "no track 999999");
    }

    [FfmpegFact]
    public async Task APlaylistAskedForInWordsStartsWithTheTracksTheyMatchAndSaysWhichWords()
    {
        using var c = _factory.CreateClient();
        var r = await Json(await c.PostAsJsonAsync("/api/playlist/words", new { text = "drum and bass", length = 4 }));
        var tracks = r.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(4, tracks.Count);
        Assert.Equal("Subterrane", tracks[0].GetProperty("track").GetProperty("artist").GetString());
        Assert.Contains("words: \"drum and bass\"", tracks[0].GetProperty("reasons").EnumerateArray().Select(x => x.GetString()));
        await Problem(await c.PostAsJsonAsync("/api/playlist/words", new { text = " " }), HttpStatusCode.BadRequest, "say in words");
    }
}
