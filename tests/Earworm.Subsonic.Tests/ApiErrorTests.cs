using Earworm.Testing;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Earworm.Subsonic.Tests;

/// <summary>Bad input through HTTP: every answer is HTTP 200 with the API's error code (10 missing, 0 malformed with a
/// message, 70 unknown ids, 40/43/44 credentials), never a 500; a path-like id never reaches the file system.</summary>
[Collection(ServedCollection.Name)]
public sealed class ApiErrorTests(ServedLibrary served)
{
    internal static readonly XNamespace Ns = "http://subsonic.org/restapi";

    private async Task<XElement> Xml(Uri url)
    {
        using var response = await served.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(Ns + "subsonic-response", root.Name);
        return root;
    }

    private async Task<(int Code, string Message)> Failure(Uri url)
    {
        var root = await Xml(url);
        Assert.Equal("failed", (string?)root.Attribute("status"));
        var error = root.Element(Ns + "error")!;
        return ((int)error.Attribute("code")!, (string)error.Attribute("message")!);
    }

    [FfmpegTheory]
    [InlineData("getSong", "id")]
    [InlineData("getAlbumList2?size=5", "type")]
    [InlineData("scrobble", "id")]
    [InlineData("findSonicPath?startSongId=1", "endSongId")]
    [InlineData("getSongsByGenre", "genre")]
    [InlineData("getAlbumList2?type=byYear&fromYear=1990", "toYear")]
    [InlineData("setRating?id=1", "rating")]
    public async Task AMissingParameterIsError10NamingIt(string call, string parameter)
    {
        var (code, message) = await Failure(served.Rest(call));
        Assert.Equal(10, code);
        Assert.Contains($"'{parameter}'", message);
    }

    [FfmpegTheory]
    [InlineData("getAlbumList2?type=newest&size=abc", "size")]
    [InlineData("getAlbumList2?type=newest&size=-1", "size")]
    [InlineData("getAlbumList2?type=sideways", "type")]
    [InlineData("getRandomSongs?size=100000", "size")]
    [InlineData("stream?id=1&maxBitRate=fast", "maxBitRate")]
    [InlineData("stream?id=1&timeOffset=NaN", "timeOffset")]
    [InlineData("getCoverArt?id=1&size=0", "size")]
    [InlineData("getSonicSimilarTracks?id=1&count=0", "count")]
    [InlineData("scrobble?id=1&submission=maybe", "submission")]
    [InlineData("scrobble?id=1&time=abc", "time")]
    [InlineData("scrobble?id=1&time=1&time=2", "time")]
    [InlineData("setRating?id=1&rating=9", "rating")]
    public async Task AMalformedValueIsError0WithAMessage(string call, string parameter)
    {
        var (code, message) = await Failure(served.Rest(call));
        Assert.Equal(0, code);
        Assert.Contains($"'{parameter}'", message);
    }

    [FfmpegTheory]
    [InlineData("getSong?id=")]
    [InlineData("getSong?id=999999")]
    [InlineData("getSong?id=..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("stream?id=%2Fetc%2Fpasswd")]
    [InlineData("download?id=..%2Fcatalog.db")]
    [InlineData("getCoverArt?id=%2Fetc%2Fpasswd")]
    [InlineData("getCoverArt?id=al-..%2F..%2Fetc")]
    [InlineData("getAlbum?id=al-000000000000")]
    [InlineData("getArtist?id=..")]
    [InlineData("getMusicDirectory?id=%2Fetc")]
    [InlineData("getPlaylist?id=pl-999")]
    [InlineData("getSimilarSongs2?id=ar-zzz")]
    [InlineData("star?albumId=al-nope")]
    public async Task AnUnknownOrPathLikeIdIsNotFound(string call)
    {
        using var response = await served.Http.GetAsync(served.Rest(call));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal); // /etc/passwd never comes back
        var root = XDocument.Parse(body).Root!;
        int code = (int)root.Element(Ns + "error")!.Attribute("code")!;
        Assert.True(code is 70 or 10, $"{call}: {body}"); // an empty id is missing
    }

    [FfmpegFact]
    public async Task AnUnknownMethodIsAnErrorNotA404()
    {
        // a feature Earworm lacks (generic, 0), not data it could not find (70: apps then report a missing item)
        var (code, message) = await Failure(served.Rest("getEverything"));
        Assert.Equal(0, code);
        Assert.Contains("not implemented", message, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task NothingAnswersWithA500()
    {
        string[] calls =
        [
            "getAlbumList2?type=byYear&fromYear=x&toYear=1", "search3?query=%00%FF&songCount=99999999999", "getIndexes?musicFolderId=77",
            "createPlaylist", "updatePlaylist?playlistId=pl-x", "getTopSongs?artist=", "getArtistInfo2?id=", "findSonicPath?startSongId=1&endSongId=1&count=1",
            "getSimilarSongs?id=1&count=abc", "stream?id=1&timeOffset=-5", "getCoverArt?id=1&size=99999", "star", "unstar?id=abc",
        ];
        foreach (var call in calls)
        {
            using var response = await served.Http.GetAsync(served.Rest(call));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("status=\"failed\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [FfmpegFact]
    public async Task ErrorsComeAsJsonWhenAskedFor()
    {
        var json = await served.Http.GetStringAsync(served.Rest("getSong?id=999999&f=json"));
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement.GetProperty("subsonic-response");
        Assert.Equal("failed", r.GetProperty("status").GetString());
        Assert.Equal(70, r.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(r.GetProperty("openSubsonic").GetBoolean());
    }

    [FfmpegFact]
    public async Task JsonpWrapsTheJsonInTheCallbackAndRefusesAnythingButAName()
    {
        using var response = await served.Http.GetAsync(served.Rest("ping?f=jsonp&callback=jQuery3.cb_1"));
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("jQuery3.cb_1(", text, StringComparison.Ordinal);
        Assert.EndsWith(");", text, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(text["jQuery3.cb_1(".Length..^2]))
            Assert.Equal("ok", doc.RootElement.GetProperty("subsonic-response").GetProperty("status").GetString());

        foreach (var (call, code) in new[] { ("ping?f=jsonp", 10), ("ping?f=jsonp&callback=alert(1)//", 0), ("ping?f=jsonp&callback=1a", 0) })
        {
            using var refused = await served.Http.GetAsync(served.Rest(call));
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            using var doc = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(code, doc.RootElement.GetProperty("subsonic-response").GetProperty("error").GetProperty("code").GetInt32());
        }
    }
}
