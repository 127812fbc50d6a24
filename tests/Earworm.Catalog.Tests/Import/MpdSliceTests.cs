using Earworm.Catalog.Import;
using Earworm.Catalog.Import.Json;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Import;

public sealed class MpdSliceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Slice = """
        {
          "info": {"slice": "0-1", "version": "v1"},
          "playlists": [
            {
              "name": "Throwbacks", "pid": 0, "num_tracks": 3,
              "tracks": [
                {"pos": 1, "artist_name": "Britney Spears", "track_uri": "spotify:track:B", "track_name": "Toxic", "album_name": "In The Zone"},
                {"pos": 0, "artist_name": "Missy Elliott", "track_uri": "spotify:track:A", "track_name": "Lose Control", "album_name": "The Cookbook"},
                {"pos": 2, "artist_name": "Britney Spears", "track_uri": "spotify:track:B2", "track_name": "Toxic", "album_name": "Greatest Hits"}
              ]
            },
            {
              "pid": 7,
              "tracks": [
                {"pos": 0, "artist_name": "Britney Spears", "track_uri": "spotify:track:B", "track_name": "Toxic"}
              ]
            }
          ]
        }
        """;

    private static IReadOnlyList<PlaylistRecord> Parse(string text) => MpdSlice.Parse(ParseAssert.Utf8(text), "/mpd/slice.json", "/mpd/slice.json");

    [Fact]
    public void ReadsPlaylistsInPosOrderKeyedByTrackUri()
    {
        var lists = Parse(Slice);
        Assert.Equal(["Throwbacks", "playlist 7"], lists.Select(p => p.Name));
        Assert.Equal(["/mpd/slice.json#pid=0", "/mpd/slice.json#pid=7"], lists.Select(p => p.SourcePath));
        Assert.Equal(["spotify:track:A", "spotify:track:B", "spotify:track:B2"], lists[0].Entries.Select(e => ItemKeys.For(e.Item)));
        var first = lists[0].Entries[0].Item;
        Assert.Equal(("Missy Elliott", "Lose Control", "The Cookbook"), (first.Artist, first.Title, first.Album));
    }

    [Theory]
    [InlineData("{\"playlists\": [\n{\"pid\": 0, \"tracks\": [}\n]}", 2, "column 23: malformed JSON")]
    [InlineData("{\"playlists\": [\n{\"pid\": 0, \"tracks\": []},\n{\"pid\": 0, \"tracks\": []}]}", 3, "pid 0 appears twice")]
    [InlineData("{\"playlists\": [\n{\"pid\": 3, \"tracks\": [{\"pos\": 0, \"track_name\": \"x\"}]}]}", 2, "playlist pid 3, track 1: track_uri is missing")]
    [InlineData("{\"playlists\": [\n\n{\"pid\": 3, \"tracks\": [{\"pos\": 0, \"track_uri\": \"u\"}, {\"pos\": 0, \"track_uri\": \"v\"}]}]}", 3, "track 2: pos 0 is negative or repeated")]
    [InlineData("{\"playlists\": [{\"tracks\": []}]}", 1, "pid is missing")]
    [InlineData("{\"info\": {}}", 1, "no \"playlists\" array")]
    [InlineData("[1, 2]", 1, "expected an object with \"playlists\"")]
    public void AMalformedSliceNamesFileLineAndPlace(string text, int line, string reason) =>
        ParseAssert.Fails(() => Parse(text), "/mpd/slice.json", line, reason);

    [Fact]
    public void ImportsAllOrNothingAndMatchesLibraryTracksByArtistAndTitle()
    {
        using var catalog = CatalogStore.Open(_dir.File("catalog.db"));
        var song = _dir.File("music/toxic.mp3");
        catalog.RecordDiscovered([new FoundFile(song, 1, 1)], [_dir.File("music")], retryFailed: false);
        var track = catalog.FindByPath(song)!.Id;
        catalog.SaveAnalysed(track, new AnalysedTrack(1, 1, "h", new Earworm.Audio.Media.MediaInfo { Container = "mp3", Codec = "mp3", Artist = "britney spears", Title = "TOXIC" }, 1, 1, 1, null));

        var good = _dir.File("mpd/mpd.slice.0-1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        File.WriteAllText(good, Slice);
        var bad = _dir.File("mpd/mpd.slice.2-3.json");
        File.WriteAllText(bad, "{\"playlists\": [{\"pid\": 9, \"tracks\": [{\"pos\": 0}]}]}");
        var e = Assert.Throws<DatasetFormatException>(() => catalog.Import(ImportReader.Read(ImportFormat.MpdJson, [_dir.File("mpd")], new ImportOptions())));
        Assert.Contains("mpd.slice.2-3.json:1: record 1: playlist pid 9, track 1: track_uri is missing", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, catalog.ListeningCounts().Playlists);

        File.Delete(bad);
        var outcome = Assert.Single(catalog.Import(ImportReader.Read(ImportFormat.MpdJson, [_dir.File("mpd")], new ImportOptions())));
        Assert.Equal((2, 4, 4), (outcome.PlaylistsAdded, outcome.PlaylistEntries, outcome.Rows));
        var items = catalog.LoadItems();
        var lists = catalog.LoadPlaylists().OrderBy(p => p.Id).ToList();
        // both releases of Toxic meet the one library track, so they are its one item; Lose Control stays its URI
        Assert.Equal([null, track, track], lists[0].ItemIds.Select(i => items[i].TrackId));
        Assert.Equal("spotify:track:A", items[lists[0].ItemIds[0]].Key);
        Assert.Equal(lists[0].ItemIds[1], lists[1].ItemIds[0]);
        var again = Assert.Single(catalog.Import(ImportReader.Read(ImportFormat.MpdJson, [good], new ImportOptions())));
        Assert.Equal((0, 2), (again.PlaylistsAdded, again.PlaylistsUnchanged));
    }
}
