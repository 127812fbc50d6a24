using Earworm.Catalog.Import;
using Earworm.Catalog.Import.Playlists;

namespace Earworm.Catalog.Tests.Import;

public class PlaylistTests
{
    private static PlaylistRecord M3u(string text) => M3uPlaylist.Parse(new StringReader(text), "/lists/Road Trip.m3u8", "/lists");

    [Fact]
    public void ReadsExtendedM3u()
    {
        var p = M3u("\uFEFF#EXTM3U\n#PLAYLIST:Summer\n#EXTINF:305,Björk - Jóga\n../music/joga.mp3\n" +
                    "# a comment\n/abs/air.flac\n#EXTINF:-1,Radio Paradise\nhttp://stream.example/rp.mp3\n" +
                    "file:///abs/with%20space.ogg\nC:\\Music\\x.mp3\n");
        Assert.Equal("Summer", p.Name);
        Assert.Equal("/lists/Road Trip.m3u8", p.SourcePath);
        Assert.Equal(5, p.Entries.Count);
        var e = p.Entries.Select(x => x.Item).ToList();
        Assert.Equal(("/music/joga.mp3", "Björk", "Jóga"), (e[0].Path, e[0].Artist, e[0].Title));
        Assert.Equal(4, p.Entries[0].LineNumber);
        Assert.Equal(("/abs/air.flac", (string?)null), (e[1].Path, e[1].Artist));
        Assert.Equal(("http://stream.example/rp.mp3", (string?)null, (string?)null, "Radio Paradise"), (e[2].Url, e[2].Path, e[2].Artist, e[2].Title));
        Assert.Equal("/abs/with space.ogg", e[3].Path);
        Assert.Equal("/lists/C:/Music/x.mp3", e[4].Path); // a Windows drive cannot resolve here: kept, unmatched
    }

    [Fact]
    public void APlainM3uIsNamedAfterItsFile()
    {
        var p = M3u("a.mp3\r\nb.mp3\r\n");
        Assert.Equal("Road Trip", p.Name);
        Assert.Equal(["/lists/a.mp3", "/lists/b.mp3"], p.Entries.Select(x => x.Item.Path));
    }

    [Theory]
    [InlineData("#EXTM3U\n#EXTINF:abc,A - T\na.mp3\n", 2, "#EXTINF duration \"abc\" is not a number")]
    [InlineData("#EXTM3U\na.mp3\n#EXTINF:10,A - T\n", 3, "#EXTINF has no entry after it")]
    [InlineData("#EXTINF:10,A - T\n#EXTINF:11,B - U\nb.mp3\n", 2, "no entry between them")]
    [InlineData("a.mp3\nb\0.mp3\n", 2, "neither a path nor a URL")]
    public void AMalformedM3uNamesTheLine(string text, int line, string reason) =>
        ParseAssert.Fails(() => M3u(text), "/lists/Road Trip.m3u8", line, reason);

    private static PlaylistRecord Xspf(string text) => XspfPlaylist.Parse(new StringReader(text), "/lists/mix.xspf", "/lists");

    [Fact]
    public void ReadsXspf()
    {
        var p = Xspf("""
            <?xml version="1.0" encoding="UTF-8"?>
            <playlist version="1" xmlns="http://xspf.org/ns/0/">
              <title>Evening</title>
              <trackList>
                <track>
                  <location>file:///music/joga.mp3</location>
                  <creator>Björk</creator><title>Jóga</title><album>Homogenic</album>
                  <identifier>https://musicbrainz.org/recording/3C4B7E9A-0000-4000-8000-000000000001</identifier>
                </track>
                <track><location>sub/a%20b.ogg</location></track>
                <track><creator>Air</creator><title>Alone in Kyoto</title></track>
                <track><location>https://example.org/x.mp3</location></track>
              </trackList>
            </playlist>
            """);
        Assert.Equal("Evening", p.Name);
        var e = p.Entries.Select(x => x.Item).ToList();
        Assert.Equal(4, e.Count);
        Assert.Equal(("/music/joga.mp3", "Björk", "Jóga", "Homogenic", "3c4b7e9a-0000-4000-8000-000000000001"),
            (e[0].Path, e[0].Artist, e[0].Title, e[0].Album, e[0].Mbid));
        Assert.Equal(5, p.Entries[0].LineNumber);
        Assert.Equal("/lists/sub/a b.ogg", e[1].Path);
        Assert.Equal(("Air", (string?)null), (e[2].Artist, e[2].Path));
        Assert.Equal("https://example.org/x.mp3", e[3].Url);
    }

    [Theory]
    [InlineData("<playlist xmlns=\"http://xspf.org/ns/0/\">\n<trackList>\n<track><location>a.mp3</location>\n</trackList></playlist>", 4, "malformed XML")]
    [InlineData("<playlist xmlns=\"http://xspf.org/ns/0/\"><trackList>\n<track><title>only a title</title></track>\n</trackList></playlist>", 2, "no location")]
    [InlineData("<?xml version=\"1.0\"?>\n<rss/>", 2, "expected an XSPF <playlist>")]
    [InlineData("<!DOCTYPE playlist [<!ENTITY x \"y\">]><playlist/>", 1, "malformed XML")]
    public void AMalformedXspfNamesTheLine(string text, int line, string reason) =>
        ParseAssert.Fails(() => Xspf(text), "/lists/mix.xspf", line, reason);
}
