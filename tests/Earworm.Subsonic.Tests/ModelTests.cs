using Earworm.Catalog;
using Earworm.Subsonic.Endpoints;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Earworm.Subsonic.Model;

namespace Earworm.Subsonic.Tests;

/// <summary>The response model, ids, the throttle's schedule and the Instant Mix's spread, without a server.</summary>
public sealed class ModelTests
{
    private static SubsonicNode Sample() => SubsonicResponse.Ok()
        .Add(new SubsonicNode("album").Set("id", "al-1").Set("songCount", 2).Set("missing", null)
            .AddList("song", [new SubsonicNode("song").Set("id", "1").Set("isDir", false).Set("similarity", 0.5)])
            .AddList("empty", []))
        .AddList("openSubsonicExtensions", [new SubsonicNode("openSubsonicExtensions").Set("name", "x").AddValues("versions", [1, 2])])
        .Add(new SubsonicNode("genre").Set("songCount", 3).WithText("Rock & Roll"));

    [Fact]
    public void OneModelIsWrittenAsTheApisJson()
    {
        var json = System.Text.Encoding.UTF8.GetString(SubsonicResponse.ToJson(Sample()));
        Assert.Contains("\"album\":{\"id\":\"al-1\",\"songCount\":2,\"song\":[{\"id\":\"1\",\"isDir\":false,\"similarity\":0.5}]}", json);
        Assert.Contains("\"openSubsonicExtensions\":[{\"name\":\"x\",\"versions\":[1,2]}]", json);
        Assert.Contains("\"genre\":{\"songCount\":3,\"value\":\"Rock & Roll\"}", json);
        Assert.DoesNotContain("missing", json);
        Assert.DoesNotContain("empty", json); // an empty list is left out
        Assert.StartsWith("{\"subsonic-response\":{\"status\":\"ok\",\"version\":\"1.16.1\"", json);
    }

    [Fact]
    public void AndAsItsXml()
    {
        var xml = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(SubsonicResponse.ToXml(Sample()))).Root!;
        System.Xml.Linq.XNamespace ns = SubsonicResponse.Namespace;
        Assert.Equal("ok", (string?)xml.Attribute("status"));
        var album = xml.Element(ns + "album")!;
        Assert.Equal(("al-1", "2", "false", "0.5"), ((string)album.Attribute("id")!, (string)album.Attribute("songCount")!,
            (string)album.Element(ns + "song")!.Attribute("isDir")!, (string)album.Element(ns + "song")!.Attribute("similarity")!));
        Assert.Equal(["1", "2"], xml.Element(ns + "openSubsonicExtensions")!.Elements(ns + "versions").Select(v => v.Value));
        Assert.Equal("Rock & Roll", xml.Element(ns + "genre")!.Value);
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("0042", 42L)]
    [InlineData("../42", null)]
    [InlineData("/etc/passwd", null)]
    [InlineData("-1", null)]
    [InlineData("4 2", null)]
    [InlineData("1234567890123456789012", null)]
    [InlineData("al-42", null)]
    public void OnlyDigitsAreSongIds(string id, long? expected) => Assert.Equal(expected, SubsonicIds.SongId(id));

    [Fact]
    public void AlbumAndArtistIdsFollowTheFoldedNames()
    {
        Assert.Equal(SubsonicIds.Album("Björk", "Homogenic"), SubsonicIds.Album("bjork ", "HOMOGENIC"));
        Assert.NotEqual(SubsonicIds.Album("A", "B C"), SubsonicIds.Album("A B", "C"));
        Assert.Matches("^ar-[0-9a-f]{12}$", SubsonicIds.Artist("Anyone"));
        Assert.Equal(7L, SubsonicIds.PlaylistId(SubsonicIds.Playlist(7)));
    }

    [Fact]
    public void AnArtistOnlyOnOthersAlbumsHasThoseAlbumsAndOnlyPicturedSongsAdvertiseCoverArt()
    {
        using var dir = new Earworm.Testing.TempDirectory();
        Directory.CreateDirectory(dir.File("ost"));
        Directory.CreateDirectory(dir.File("bare"));
        File.WriteAllBytes(dir.File("ost/cover.jpg"), [0xFF, 0xD8, 0xFF]);
        TrackRecord Track(long id, string path, string artist, string album, bool? picture) => new()
        {
            Id = id, Path = dir.File(path), SizeBytes = 1, MtimeUnixMs = 1, Status = TrackStatus.Analysed,
            Artist = artist, AlbumArtist = "Various", Album = album, Title = $"T{id}", HasPicture = picture,
        };
        var view = new Earworm.App.Library.LibraryView([Track(1, "ost/1.ogg", "Composer A", "Game OST", false),
            Track(2, "ost/2.ogg", "Composer B", "Game OST", false), Track(3, "bare/3.ogg", "Composer A", "Bare", false),
            Track(4, "bare/4.ogg", "Composer C", "Bare", true)], new Dictionary<long, Earworm.Audio.Descriptors.TrackDescriptors>(), [dir.Path], []);
        var lib = new SubsonicLibrary(view);
        // the albums are Various's; a composer credited on songs only still leads to them
        var composer = lib.Artists.Single(a => a.Name == "Composer A");
        Assert.Equal(["Bare", "Game OST"], composer.Albums.Select(a => a.Name));
        Assert.Equal(["Game OST"], lib.Artists.Single(a => a.Name == "Composer B").Albums.Select(a => a.Name));
        // a cover beside the songs, or one in the file, is a picture; neither is none to advertise
        Assert.Equal([true, true, false, true], view.Tracks.OrderBy(t => t.Id).Select(lib.HasArt));
    }

    [Fact]
    public void ASongTaggedWithTwoArtistsIsListedUnderEach()
    {
        TrackRecord Track(long id, string artist, string? albumArtist, string album) => new()
        {
            Id = id, Path = $"/m/{id}.ogg", SizeBytes = 1, MtimeUnixMs = 1, Status = TrackStatus.Analysed,
            Artist = artist, AlbumArtist = albumArtist, Album = album, Title = $"T{id}",
        };
        // ffmpeg's join of a repeated ARTIST tag; "Hello; Goodbye" (a space after the ';') is one name
        var view = new Earworm.App.Library.LibraryView([Track(1, "Alice;Bob", null, "Duets"), Track(2, "Alice", null, "Solo"),
            Track(3, "Hello; Goodbye", null, "One")], new Dictionary<long, Earworm.Audio.Descriptors.TrackDescriptors>(), ["/m"], []);
        var lib = new SubsonicLibrary(view);
        Assert.Equal(["Alice", "Bob", "Hello; Goodbye"], lib.Artists.Select(a => a.Name)); // was "Alice;Bob" as one artist
        Assert.Equal(["Duets", "Solo"], lib.Artists.Single(a => a.Name == "Alice").Albums.Select(a => a.Name).Order());
        Assert.Equal([1L], lib.Artists.Single(a => a.Name == "Bob").Tracks.Select(t => t.Id));
        var duet = view.Tracks.Single(t => t.Id == 1);
        Assert.Equal(SubsonicIds.Artist("Alice"), lib.ArtistIdOf(duet));
        Assert.Equal(SubsonicIds.Artist("Alice"), lib.AlbumOfTrack(duet).ArtistId);
        Assert.Equal("Alice, Bob", SubsonicLibrary.ArtistShown(SubsonicLibrary.ArtistOf(duet)));
    }

    [Fact]
    public void FailuresAreFreeThenDoubleUpToTheCeiling()
    {
        Assert.Equal(TimeSpan.Zero, FailureThrottle.DelayAfter(FailureThrottle.FreeFailures));
        Assert.Equal(FailureThrottle.FirstDelay, FailureThrottle.DelayAfter(FailureThrottle.FreeFailures + 1));
        Assert.Equal(FailureThrottle.FirstDelay * 2, FailureThrottle.DelayAfter(FailureThrottle.FreeFailures + 2));
        Assert.Equal(FailureThrottle.MaxDelay, FailureThrottle.DelayAfter(1000));
        var time = new ManualTime();
        var throttle = new FailureThrottle(time);
        for (int i = 0; i < 5; i++) throttle.Failed("a");
        Assert.Equal(TimeSpan.Zero, throttle.Failed("b")); // per address
        time.Advance(FailureThrottle.Forget + TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, throttle.Failed("a")); // forgotten after a quiet spell
    }

    [Fact]
    public void TheMixSpreadsArtistsWhileItCan()
    {
        static TrackRecord T(long id, string artist) => new() { Id = id, Path = $"/m/{id}.mp3", SizeBytes = 1, MtimeUnixMs = 1, Status = TrackStatus.Analysed, Artist = artist };
        var picked = SimilarityEndpoints.Spread([T(1, "A"), T(2, "A"), T(3, "A"), T(4, "B"), T(5, "C"), T(6, "A")], 5, gap: 2);
        Assert.Equal([1L, 4, 5, 2, 3], picked.Select(t => t.Id)); // A B C, then only A is left: it plays
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
