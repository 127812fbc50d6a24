using Earworm.Catalog.Import;
using Earworm.Catalog.Import.Json;

namespace Earworm.Catalog.Tests.Import;

public class JsonExportTests
{
    private const string ListenBrainzArray = """
        [
          {
            "listened_at": 1609459200,
            "user_name": "rob",
            "track_metadata": {
              "artist_name": "Björk",
              "track_name": "Jóga",
              "release_name": "Homogenic",
              "additional_info": { "recording_mbid": "3C4B7E9A-0000-4000-8000-000000000001", "duration_ms": 305000 }
            }
          },
          {"listened_at": 1609459500, "track_metadata": {"artist_name": "Air", "track_name": "La femme d'argent",
            "mbid_mapping": {"recording_mbid": "3c4b7e9a-0000-4000-8000-000000000002"}}}
        ]
        """;

    private static ListenLog ListenBrainz(string text) => ListenBrainzExport.Parse(ParseAssert.Utf8(text), "listens.json");

    [Fact]
    public void ReadsAListenBrainzArray()
    {
        var log = ListenBrainz(ListenBrainzArray);
        Assert.Equal(2, log.Rows);
        var (a, b) = (log.Listens[0], log.Listens[1]);
        Assert.Equal(("rob", "Björk", "Jóga", "Homogenic"), (a.User, a.Item.Artist, a.Item.Title, a.Item.Album));
        Assert.Equal(("3c4b7e9a-0000-4000-8000-000000000001", (long?)1609459200, 1.0, 2), (a.Item.Mbid, a.TimestampUnixSeconds, a.Count, a.LineNumber));
        Assert.Null(b.User);
        Assert.Equal(("3c4b7e9a-0000-4000-8000-000000000002", 12), (b.Item.Mbid, b.LineNumber));
    }

    [Fact]
    public void ReadsListenBrainzJsonLines()
    {
        var log = ListenBrainz("{\"listened_at\":1,\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\r\n\r\n" +
                               "{\"listened_at\":\"2021-01-01T00:00:00Z\",\"track_metadata\":{\"artist_name\":\"B\",\"track_name\":\"U\"}}\n");
        Assert.Equal(2, log.Listens.Count);
        Assert.Equal((1L, 1), (log.Listens[0].TimestampUnixSeconds!.Value, log.Listens[0].LineNumber));
        Assert.Equal((1609459200L, 3), (log.Listens[1].TimestampUnixSeconds!.Value, log.Listens[1].LineNumber));
    }

    [Theory]
    [InlineData("[\n {\"listened_at\": 1, \"track_metadata\": {\"artist_name\": \"A\", \"track_name\": \"T\"}},\n {\"track_metadata\": {}}\n]", 3, 2, "listened_at is missing")]
    [InlineData("[\n {\"listened_at\": 1,\n  \"track_metadata\": {\"track_name\": \"T\"}}\n]", 2, 1, "artist_name is missing")]
    [InlineData("{\"listened_at\":1,\"track_metadata\":{\"artist_name\":\"A\",\"track_name\":\"T\"}}\n{\"listened_at\":2,\n", 2, 2, "malformed JSON")]
    [InlineData("[\n {\"listened_at\": 1, \"track_metadata\": {\"artist_name\": \"A\", \"track_name\": \"T\"}}\n {\"listened_at\": 2}\n]", 3, 0, "malformed JSON")] // a missing comma: between records
    public void AMalformedListenNamesTheLineAndRecord(string text, int line, int record, string reason)
    {
        var e = ParseAssert.Fails(() => ListenBrainz(text), "listens.json", line, reason);
        Assert.Equal(record == 0 ? null : record, e.RecordNumber);
        if (record > 0) Assert.Contains($"record {record}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeitherArrayNorLinesIsRefused() => ParseAssert.Fails(() => ListenBrainz("\n\"just a string\""), "listens.json", 2, "expected a JSON array");

    private const string SpotifyHistory = """
        [
        {"ts": "2021-01-01T12:05:00Z", "username": "sp1", "ms_played": 300000, "master_metadata_track_name": "Jóga",
         "master_metadata_album_artist_name": "Björk", "master_metadata_album_album_name": "Homogenic",
         "spotify_track_uri": "spotify:track:abc", "reason_end": "trackdone", "skipped": null},
        {"ts": "2021-01-01T12:06:00Z", "ms_played": 45000, "master_metadata_track_name": "Hunter",
         "master_metadata_album_artist_name": "Björk", "skipped": true, "reason_end": "fwdbtn"},
        {"ts": "2021-01-01T12:06:10Z", "ms_played": 9000, "master_metadata_track_name": "Bachelorette",
         "master_metadata_album_artist_name": "Björk", "skipped": false, "reason_end": "endplay"},
        {"ts": "2021-01-01T13:00:00Z", "ms_played": 1800000, "master_metadata_track_name": null,
         "episode_name": "A podcast", "episode_show_name": "Show"}
        ]
        """;

    [Fact]
    public void SpotifyCountsPlaysOfThirtySecondsNotSkippedAndKeepsTheRestAsSkips()
    {
        var log = SpotifyStreamingHistory.Parse(ParseAssert.Utf8(SpotifyHistory), "Streaming_History_Audio_2021.json");
        Assert.Equal(4, log.Rows);
        Assert.Equal(1, log.Ignored["not a music track (podcast episode or audiobook)"]);
        Assert.Equal([1.0, 0.0, 0.0], log.Listens.Select(l => l.Count));
        var play = log.Listens[0];
        Assert.Equal(("sp1", "Björk", "Jóga", "Homogenic", "spotify:track:abc"),
            (play.User, play.Item.Artist, play.Item.Title, play.Item.Album, play.Item.SourceKey));
        // the time is when the stream started: ts − ms_played
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), play.TimestampUnixSeconds);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 12, 6, 1, TimeSpan.Zero).ToUnixTimeSeconds(), log.Listens[2].TimestampUnixSeconds);
    }

    [Fact]
    public void SpotifyThresholdIsAnOption()
    {
        var log = SpotifyStreamingHistory.Parse(ParseAssert.Utf8(SpotifyHistory), "s.json", new SpotifyOptions { MinPlayedMs = 5000 });
        Assert.Equal([1.0, 0.0, 1.0], log.Listens.Select(l => l.Count));
    }

    [Fact]
    public void SpotifyBasicHistoryIsReadToo()
    {
        var log = SpotifyStreamingHistory.Parse(ParseAssert.Utf8(
            """[{"endTime": "2021-01-01 12:05", "artistName": "Air", "trackName": "Playground Love", "msPlayed": 60000}]"""), "StreamingHistory0.json");
        var l = Assert.Single(log.Listens);
        Assert.Equal(("Air", 1.0, new DateTimeOffset(2021, 1, 1, 12, 4, 0, TimeSpan.Zero).ToUnixTimeSeconds()),
            (l.Item.Artist, l.Count, l.TimestampUnixSeconds!.Value));
    }

    [Theory]
    [InlineData("[\n{\"ts\": \"2021-01-01T12:05:00Z\", \"ms_played\": 1},\n{\"ms_played\": 1}\n]", 3, 2, "ts is missing")]
    [InlineData("[\n{\"ts\": \"2021-01-01T12:05:00Z\", \"ms_played\": -5}\n]", 2, 1, "ms_played is missing or not a non-negative number")]
    [InlineData("[\n{\"ts\": \"soon\", \"ms_played\": 5}\n]", 2, 1, "ts \"soon\" is not a date")]
    [InlineData("[\n{\"ts\": \"2021-01-01T12:05:00Z\", \"ms_played\": 1},\n{\"ts\": \"2021-01-01T12:05:00Z\", \"ms_played\": 1}\n]]", 4, 0, "malformed JSON")]
    public void AMalformedStreamNamesTheLineAndRecord(string text, int line, int record, string reason)
    {
        var e = ParseAssert.Fails(() => SpotifyStreamingHistory.Parse(ParseAssert.Utf8(text), "s.json"), "s.json", line, reason);
        Assert.Equal(record == 0 ? null : record, e.RecordNumber); // 0: after the array, in no record
    }
}
