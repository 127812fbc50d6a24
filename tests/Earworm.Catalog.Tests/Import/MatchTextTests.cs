using Earworm.Catalog.Import;

namespace Earworm.Catalog.Tests.Import;

public class MatchTextTests
{
    [Theory]
    [InlineData("Björk", "bjork")]
    [InlineData("  Sigur   Rós ", "sigur ros")]
    [InlineData("MOTÖRHEAD", "motorhead")]
    [InlineData("Æsop Œuvre Straße", "aesop oeuvre strasse")]
    [InlineData("Mø – Łódź Ħ", "mo - lodz h")]
    [InlineData("Don’t “Stop”", "don't \"stop\"")]
    [InlineData("Cafe\u0301", "cafe")] // combining acute accent, as in already-decomposed text
    [InlineData("Тату", "тату")] // other scripts are only lower-cased
    [InlineData("5 × 3", "5 × 3")]
    public void FoldsCaseDiacriticsAndTypography(string text, string folded) => Assert.Equal(folded, MatchText.Fold(text));

    [Fact]
    public void SongKeysMeetAcrossSpellings()
    {
        Assert.Equal(ItemKeys.Song("Björk", "Jóga"), ItemKeys.Song("BJORK ", "joga"));
        Assert.Null(ItemKeys.Song("Björk", " "));
        Assert.Null(ItemKeys.Song(null, "Jóga"));
    }

    [Fact]
    public void KeysPreferTheSongThenTheMbidThenTheSourcesOwnId()
    {
        Assert.Equal("song:a\tt", ItemKeys.For(new ItemRef { Artist = "A", Title = "T", Mbid = "M", SourceKey = "csv:1" }));
        Assert.Equal("mbid:abc", ItemKeys.For(new ItemRef { Artist = "A", Mbid = "ABC", SourceKey = "csv:1" }));
        Assert.Equal("csv:1", ItemKeys.For(new ItemRef { Artist = "A", SourceKey = "csv:1", Path = "/m/a.mp3" }));
        Assert.Equal("path:/m/a.mp3", ItemKeys.For(new ItemRef { Path = "/m/a.mp3", Url = "http://x" }));
        Assert.Equal("url:http://x", ItemKeys.For(new ItemRef { Url = "http://x" }));
        Assert.Equal("track:7", ItemKeys.For(new ItemRef { TrackId = 7 }));
        Assert.Null(ItemKeys.For(new ItemRef { Artist = "only an artist" }));
    }

    [Fact]
    public void FeatureKeysNameTheArtistAndTheArtistsAlbumFoldedAsSongs()
    {
        Assert.Equal(["artist:bjork", "album:bjork\thomogenic"], ItemKeys.Features("Björk ", "HOMOGENIC"));
        Assert.Equal(ItemKeys.Features("Björk", "Homogenic"), ItemKeys.Features("bjork", "homogenic"));
        // the same album title by two artists is two albums; a blank name is no feature
        Assert.NotEqual(ItemKeys.Features("A", "Greatest Hits")[1], ItemKeys.Features("B", "Greatest Hits")[1]);
        Assert.Equal([null, null], ItemKeys.Features(" ", null));
        Assert.Equal([null, "album:\tlive"], ItemKeys.Features(null, "Live"));
    }
}
