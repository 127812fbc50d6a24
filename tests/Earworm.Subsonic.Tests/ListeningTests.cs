using Earworm.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Earworm.Subsonic.Library;

namespace Earworm.Subsonic.Tests;

/// <summary>What apps do while playing, through HTTP: scrobbles, stars, ratings, playlists (form POST, repeated
/// parameters, the .view suffix), streams with ranges and transcoding, cover art, and the sonic similarity endpoints.</summary>
[Collection(ServedCollection.Name)]
public sealed class ListeningTests(ServedLibrary served)
{
    private async Task<JsonElement> Json(string call, string? auth = null)
    {
        var text = await served.Http.GetStringAsync(served.Rest(call + (call.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "f=json", auth));
        var r = JsonDocument.Parse(text).RootElement.GetProperty("subsonic-response").Clone();
        Assert.True(r.GetProperty("status").GetString() == "ok", text);
        return r;
    }

    private string Bob => $"u={ServedLibrary.Bob}&p={ServedLibrary.BobPassword}";

    [FfmpegFact]
    public async Task ASubmittedScrobbleIsAPlayAndNowPlayingIsShownUntilThen()
    {
        var before = (await Json("getSong?id=7", Bob)).GetProperty("song").GetProperty("playCount").GetInt64();
        await Json("scrobble?id=7&submission=false&c=Tempo", Bob);
        Assert.Equal(before, (await Json("getSong?id=7", Bob)).GetProperty("song").GetProperty("playCount").GetInt64());
        var playing = (await Json("getNowPlaying", Bob)).GetProperty("nowPlaying").GetProperty("entry").EnumerateArray()
            .Single(e => e.GetProperty("playerName").GetString() == "Tempo");
        Assert.Equal(("7", ServedLibrary.Bob, 0), (playing.GetProperty("id").GetString(), playing.GetProperty("username").GetString(), playing.GetProperty("minutesAgo").GetInt32()));
        await Json("scrobble.view?id=7&id=8&time=1700000000000&c=Tempo", Bob);
        var seven = (await Json("getSong?id=7", Bob)).GetProperty("song");
        Assert.Equal(before + 1, seven.GetProperty("playCount").GetInt64());
        // heard when the app said (it may have kept the play while offline); the id without a time was heard now
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), seven.GetProperty("played").GetDateTimeOffset());
        Assert.InRange((await Json("getSong?id=8", Bob)).GetProperty("song").GetProperty("played").GetDateTimeOffset(),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        // the app submitted the song it said was playing: the notice goes
        Assert.DoesNotContain((await Json("getNowPlaying", Bob)).GetProperty("nowPlaying").TryGetProperty("entry", out var left) ? left.EnumerateArray().ToList() : [],
            e => e.GetProperty("playerName").GetString() == "Tempo");
    }

    [FfmpegFact]
    public async Task StarsByFormPostWithRepeatedIdsAreLikesUntilUnstarred()
    {
        var album = (await Json("getAlbumList2?type=alphabeticalByName&size=1", Bob)).GetProperty("albumList2").GetProperty("album")[0].GetProperty("id").GetString()!;
        using var form = new FormUrlEncodedContent([new("u", ServedLibrary.Bob), new("p", ServedLibrary.BobPassword), new("id", "3"), new("id", "4"), new("albumId", album)]);
        using var posted = await served.Http.PostAsync(new Uri(served.BaseUrl, "rest/star.view"), form);
        Assert.Contains("status=\"ok\"", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var starred = (await Json("getStarred2", Bob)).GetProperty("starred2");
        Assert.Equal(["3", "4"], starred.GetProperty("song").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order());
        Assert.Equal(album, starred.GetProperty("album")[0].GetProperty("id").GetString());
        await Json($"unstar?id=3&id=4&albumId={album}", Bob);
        Assert.False((await Json("getStarred2", Bob)).GetProperty("starred2").TryGetProperty("song", out _));
        await Json("setRating?id=5&rating=1", Bob);
        Assert.Equal(1, (await Json("getSong?id=5", Bob)).GetProperty("song").GetProperty("userRating").GetInt32());
        await Json("setRating?id=5&rating=4", Bob); // kept, and no longer a dislike
        Assert.Equal(4, (await Json("getSong?id=5", Bob)).GetProperty("song").GetProperty("userRating").GetInt32());
        await Json("setRating?id=5&rating=0", Bob);
        Assert.False((await Json("getSong?id=5", Bob)).GetProperty("song").TryGetProperty("userRating", out _));
        await Json($"setRating?id={album}&rating=3", Bob);
        Assert.Equal(3, (await Json($"getAlbum?id={album}", Bob)).GetProperty("album").GetProperty("userRating").GetInt32());
        await Json($"setRating?id={album}&rating=0", Bob);
    }

    [FfmpegFact]
    public async Task PlaylistsAreMadeEditedAndDeletedByTheirOwnerOnly()
    {
        var made = (await Json("createPlaylist?name=Road&songId=1&songId=2&songId=3", Bob)).GetProperty("playlist");
        var id = made.GetProperty("id").GetString()!;
        Assert.Equal(3, made.GetProperty("songCount").GetInt32());
        await Json($"updatePlaylist?playlistId={id}&name=Road%20trip&songIndexToRemove=0&songIdToAdd=9", Bob);
        var got = (await Json($"getPlaylist?id={id}", Bob)).GetProperty("playlist");
        Assert.Equal("Road trip", got.GetProperty("name").GetString());
        Assert.Equal(["2", "3", "9"], got.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Contains((await Json("getPlaylists", Bob)).GetProperty("playlists").GetProperty("playlist").EnumerateArray(), p => p.GetProperty("id").GetString() == id);
        var stranger = await served.Http.GetStringAsync(served.Rest($"deletePlaylist?id={id}")); // alice
        Assert.Contains("code=\"70\"", stranger, StringComparison.Ordinal);

        // a comment, and made public: other listeners see and play it, and still cannot change it
        await Json($"updatePlaylist?playlistId={id}&comment=for%20the%20road&public=true", Bob);
        got = (await Json($"getPlaylist?id={id}", Bob)).GetProperty("playlist");
        Assert.Equal(("for the road", true, 3), (got.GetProperty("comment").GetString(), got.GetProperty("public").GetBoolean(), got.GetProperty("songCount").GetInt32()));
        var seen = (await Json($"getPlaylist?id={id}")).GetProperty("playlist");   // alice
        Assert.Equal(ServedLibrary.Bob, seen.GetProperty("owner").GetString());
        Assert.Contains((await Json("getPlaylists")).GetProperty("playlists").GetProperty("playlist").EnumerateArray(), p => p.GetProperty("id").GetString() == id);
        Assert.Contains("code=\"50\"", await served.Http.GetStringAsync(served.Rest($"updatePlaylist?playlistId={id}&name=Mine")), StringComparison.Ordinal);
        await Json($"updatePlaylist?playlistId={id}&comment=&public=false", Bob);
        got = (await Json($"getPlaylist?id={id}", Bob)).GetProperty("playlist");
        Assert.False(got.TryGetProperty("comment", out _));
        Assert.Contains("code=\"70\"", await served.Http.GetStringAsync(served.Rest($"getPlaylist?id={id}")), StringComparison.Ordinal);
        await Json($"deletePlaylist?id={id}", Bob);
        Assert.Contains("code=\"70\"", await served.Http.GetStringAsync(served.Rest($"getPlaylist?id={id}", Bob)), StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task StreamsServeRangesAndTranscodeFromAnOffset()
    {
        using var ranged = new HttpRequestMessage(HttpMethod.Get, served.Rest("stream?id=2"));
        ranged.Headers.Range = new RangeHeaderValue(10, 109);
        using var part = await served.Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(100, (await part.Content.ReadAsByteArrayAsync()).Length);
        var whole = await served.Http.GetByteArrayAsync(served.Rest("download?id=2"));
        var mp3 = await served.Http.GetByteArrayAsync(served.Rest("stream?id=2&format=mp3&maxBitRate=64&timeOffset=4"));
        Assert.True(mp3.Length > 1000 && mp3.Length < whole.Length, $"{mp3.Length} bytes of mp3 from {whole.Length}");
        Assert.True(mp3[0] == 'I' && mp3[1] == 'D' && mp3[2] == '3' || mp3[0] == 0xFF, "an MP3 stream");
        var full = await served.Http.GetByteArrayAsync(served.Rest("stream?id=2&format=mp3&maxBitRate=64"));
        Assert.True(mp3.Length < full.Length * 0.9, "timeOffset skips the start");
        // a format Earworm cannot make is a preference it cannot meet: the file as it is, not an error the app would play
        using var flac = await served.Http.GetAsync(served.Rest("stream?id=2&format=flac"));
        Assert.Equal(HttpStatusCode.OK, flac.StatusCode);
        Assert.Equal(whole, await flac.Content.ReadAsByteArrayAsync());
    }

    [FfmpegFact]
    public async Task AnEstimatedLengthIsSentAndKeptToTheByte()
    {
        var chunked = await served.Http.GetByteArrayAsync(served.Rest("stream?id=2&format=mp3&maxBitRate=64"));
        using var sized = await served.Http.GetAsync(served.Rest("stream?id=2&format=mp3&maxBitRate=64&estimateContentLength=true"));
        Assert.Equal(HttpStatusCode.OK, sized.StatusCode);
        long? declared = sized.Content.Headers.ContentLength;   // was absent: the option was not read
        Assert.NotNull(declared);
        var body = await sized.Content.ReadAsByteArrayAsync();
        Assert.Equal(declared, body.Length);
        Assert.InRange(body.Length, chunked.Length * 0.9, chunked.Length * 1.1);   // 64 kbps times the duration, near what ffmpeg makes
        Assert.Equal(chunked.AsSpan(0, 1000).ToArray(), body.AsSpan(0, 1000).ToArray());
        using var head = await served.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head,
            served.Rest("stream?id=2&format=mp3&maxBitRate=64&estimateContentLength=true")));
        Assert.Equal(declared, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task AnExactLengthStreamCutsAndPads()
    {
        using var cut = new MemoryStream();
        var exact = new Earworm.Subsonic.Endpoints.MediaEndpoints.ExactLengthStream(cut, 5);
        await exact.WriteAsync(new byte[] { 1, 2, 3, 4, 5, 6, 7 });
        await exact.PadAsync(CancellationToken.None);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, cut.ToArray());
        using var padded = new MemoryStream();
        exact = new Earworm.Subsonic.Endpoints.MediaEndpoints.ExactLengthStream(padded, 5);
        await exact.WriteAsync(new byte[] { 9, 8 });
        await exact.PadAsync(CancellationToken.None);
        Assert.Equal(new byte[] { 9, 8, 0, 0, 0 }, padded.ToArray());
    }

    [FfmpegFact]
    public async Task AHeadRequestIsAnsweredAsGetWithoutTheBody()
    {
        var whole = await served.Http.GetByteArrayAsync(served.Rest("download?id=2"));
        using var head = await served.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, served.Rest("stream?id=2")));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);   // was 405: casting devices probe a stream before they fetch it
        Assert.StartsWith("audio/", head.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(whole.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [FfmpegFact]
    public async Task TheHighestAlbumsAreTheListenersBestRated()
    {
        var albums = (await Json("getAlbumList2?type=alphabeticalByName&size=3", Bob)).GetProperty("albumList2").GetProperty("album")
            .EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList();
        await Json($"setRating?id={albums[2]}&rating=5", Bob);
        await Json($"setRating?id={albums[1]}&rating=3", Bob);
        try
        {
            var highest = (await Json("getAlbumList2?type=highest&size=10", Bob)).GetProperty("albumList2").GetProperty("album")
                .EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
            Assert.Equal([albums[2], albums[1]], highest.Take(2));
        }
        finally
        {
            await Json($"setRating?id={albums[2]}&rating=0", Bob);
            await Json($"setRating?id={albums[1]}&rating=0", Bob);
        }
    }

    [FfmpegFact]
    public async Task CoverArtComesFromTheFolderScaledToSize()
    {
        var ambient = (await Json("search3?query=ambient&songCount=1&artistCount=0&albumCount=0")).GetProperty("searchResult3").GetProperty("song")[0];
        var big = await served.Http.GetByteArrayAsync(served.Rest($"getCoverArt?id={ambient.GetProperty("coverArt").GetString()}"));
        var small = await served.Http.GetByteArrayAsync(served.Rest($"getCoverArt?id={ambient.GetProperty("albumId").GetString()}&size=40"));
        Assert.Equal((0xFF, 0xD8), (big[0], big[1]));
        Assert.Equal((0xFF, 0xD8), (small[0], small[1]));
        Assert.True(small.Length < big.Length, $"{small.Length} bytes at 40 px, {big.Length} whole");
    }

    [FfmpegFact]
    public async Task SonicSimilarityScoresInTheUnitRangeAndThePathJoinsItsEnds()
    {
        var similar = (await Json("getSonicSimilarTracks?id=1&count=5")).GetProperty("sonicMatch").EnumerateArray().ToList();
        Assert.Equal(5, similar.Count);
        var scores = similar.Select(m => m.GetProperty("similarity").GetDouble()).ToList();
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.DoesNotContain(similar, m => m.GetProperty("entry").GetProperty("id").GetString() == "1");
        var path = (await Json("findSonicPath?startSongId=1&endSongId=20&count=6")).GetProperty("sonicMatch").EnumerateArray().ToList();
        Assert.Equal(6, path.Count);
        Assert.Equal(("1", "20"), (path[0].GetProperty("entry").GetProperty("id").GetString(), path[^1].GetProperty("entry").GetProperty("id").GetString()));
        Assert.Equal(1.0, path[0].GetProperty("similarity").GetDouble());
        Assert.Equal(6, path.Select(m => m.GetProperty("entry").GetProperty("id").GetString()).Distinct().Count());
    }

    [FfmpegFact]
    public async Task IdsAreDerivedFromNamesNotRows()
    {
        var albums = (await Json("getAlbumList2?type=alphabeticalByName&size=50")).GetProperty("albumList2").GetProperty("album").EnumerateArray();
        Assert.All(albums, a => Assert.Equal(SubsonicIds.Album(a.GetProperty("artist").GetString()!, a.GetProperty("name").GetString()!), a.GetProperty("id").GetString()));
    }
}
