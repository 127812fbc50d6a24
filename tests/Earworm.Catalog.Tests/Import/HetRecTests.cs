using Earworm.Catalog.Import.HetRec;

namespace Earworm.Catalog.Tests.Import;

public class HetRecTests
{
    [Fact]
    public void ReadsUserArtistsAsRawRows()
    {
        var rows = HetRecUserArtists.Read(new StringReader("userID\tartistID\tweight\r\n2\t51\t13883\r\n\r\n7\t52\t0\r\n"), "user_artists.dat").ToList();
        Assert.Equal([new UserArtistRow(2, 51, 13883, 2), new UserArtistRow(7, 52, 0, 4)], rows);
    }

    [Fact]
    public void ReadsArtistsTagsAndTaggings()
    {
        var artists = HetRecArtists.Read(new StringReader("id\tname\turl\tpictureURL\n1\tMALICE MIZER\thttp://www.last.fm/music/MALICE+MIZER\t\n"), "artists.dat").ToList();
        Assert.Equal([new HetRecArtist(1, "MALICE MIZER", "http://www.last.fm/music/MALICE+MIZER")], artists);
        var tags = HetRecTags.Read(new StringReader("tagID\ttagValue\r\n1\tmetal\r\n2\tpop rock\r\n"), "tags.dat").ToList();
        Assert.Equal([new HetRecTag(1, "metal"), new HetRecTag(2, "pop rock")], tags);
        var tagged = HetRecUserTaggedArtists.Read(new StringReader("userID\tartistID\ttagID\tday\tmonth\tyear\r\n2\t52\t13\t1\t4\t2009\r\n"), "t.dat").ToList();
        Assert.Equal([new UserTaggedArtist(2, 52, 13, 2)], tagged);
    }

    [Theory]
    [InlineData("id\tname\turl\tpictureURL\n1\tA\tu\tp\n2\tB\tu\n", 3, "expected 4 tab-separated columns (id, name, url, pictureURL), found 3")]
    [InlineData("id\tname\turl\tpictureURL\n1\tA\tu\tp\nx\tB\tu\tp\n", 3, "id \"x\" is not a non-negative integer")]
    [InlineData("id\tname\turl\tpictureURL\n1\t \tu\tp\n", 2, "artist 1 has an empty name")]
    [InlineData("id,name,url,pictureURL\n", 1, "expected the header")]
    public void AMalformedArtistNamesTheLine(string text, int line, string reason) =>
        ParseAssert.Fails(() => HetRecArtists.Read(new StringReader(text), "artists.dat").ToList(), "artists.dat", line, reason);

    [Fact]
    public void AMalformedTagOrTaggingNamesTheLine()
    {
        ParseAssert.Fails(() => HetRecTags.Read(new StringReader("tagID\ttagValue\r\n1\tmetal\r\n2\r\n"), "tags.dat").ToList(),
            "tags.dat", 3, "expected 2 tab-separated columns (tagID, tagValue), found 1");
        ParseAssert.Fails(() => HetRecUserTaggedArtists.Read(new StringReader("userID\tartistID\ttagID\tday\tmonth\tyear\n2\t52\tx\t1\t4\t2009\n"), "t.dat").ToList(),
            "t.dat", 2, "tagID \"x\" is not a non-negative integer");
    }

    [Fact]
    public void ATaggingWithAnUnknownTagIsRefused()
    {
        using var dir = new Earworm.Testing.TempDirectory();
        File.WriteAllText(dir.File("user_artists.dat"), "userID\tartistID\tweight\n2\t51\t1\n");
        File.WriteAllText(dir.File("tags.dat"), "tagID\ttagValue\n1\tpop\n");
        File.WriteAllText(dir.File("user_taggedartists.dat"), "userID\tartistID\ttagID\tday\tmonth\tyear\n2\t51\t7\t1\t1\t2009\n");
        ParseAssert.Fails(() => LastFm2kFolder.Read(dir.Path), dir.File("user_taggedartists.dat"), 2, "tagID 7 is not in tags.dat");
    }
}
