using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog.Tests.Scanning;

public class TagGuessTests
{
    private static (string? Title, string? Artist, string? Album, GuessedTags Guessed) Guess(string path,
        string? title = null, string? artist = null, string? album = null, string? albumArtist = null) =>
        TagGuess.Guess(path, title, artist, album, albumArtist);

    // hyperrogue's hr3-desert.ogg repeats TITLE= once per land; ffmpeg joins them with ';'
    private static MediaInfo Repeating(string title, string genre) => MediaTags.Build("ogg", "vorbis", 60, 44100, 2, null, false,
        new Dictionary<string, string> { ["title"] = title, ["genre"] = genre, ["album"] = "HyperRogue;HyperRogue OST" });

    [Fact]
    public void OfRepeatedTitlesTheOneTheFileNameSaysIsTaken()
    {
        var media = Repeating("Living Caves;Crossroads;Desert;Graveyard;R'Lyeh", "Game;Ambient");
        Assert.Equal("Living Caves", media.Title); // the name unknown: the first
        Assert.Equal("HyperRogue", media.Album);
        Assert.Equal("Game;Ambient", media.Genre); // several genres are all true: kept, and split into tags
        var (tagged, guessed) = TagGuess.Apply("/m/hyperrogue/hr3-desert.ogg", media);
        Assert.Equal(("Desert", GuessedTags.None), (tagged.Title, guessed & GuessedTags.Title));
        Assert.Equal("Living Caves", TagGuess.Apply("/m/hyperrogue/hr3-unknown.ogg", media).Media.Title);
        Assert.Equal("Hello; Goodbye", Repeating("Hello; Goodbye", "Pop").Title); // one title with a ';' of its own
    }

    [Fact]
    public void TagsThatArePresentAreKept() =>
        Assert.Equal(("T", "A", "B", GuessedTags.None), Guess("/m/Folder/01 - X - Y.mp3", "T", "A", "B"));

    [Fact]
    public void TitleFromTheFileNameAlbumFromTheFolder() =>
        Assert.Equal(("Intro", null, "Wesnoth", GuessedTags.Title | GuessedTags.Album), Guess("/music/Wesnoth/Intro.ogg"));

    [Fact]
    public void ArtistDashTitleSplitsWhenTheArtistIsMissing() =>
        Assert.Equal(("Song Two", "The Band", "Live", GuessedTags.Title | GuessedTags.Artist | GuessedTags.Album),
            Guess("/m/Live/03. The Band – Song Two.flac"));

    [Fact]
    public void ADashedNameIsTheTitleWhenTheArtistTagSaysOtherwise() =>
        Assert.Equal("Song - Live at Wembley", Guess("/m/x/Song - Live at Wembley.mp3", artist: "Queen").Title);

    [Fact]
    public void TheLeftSideIsDroppedWhenItIsTheTaggedArtist() =>
        Assert.Equal(("Heroes", GuessedTags.Title), (Guess("/m/x/David Bowie - Heroes.mp3", artist: "david bowie", album: "A").Title,
            Guess("/m/x/David Bowie - Heroes.mp3", artist: "david bowie", album: "A").Guessed));

    [Theory]
    [InlineData("01 - Song", "Song")]
    [InlineData("01. Song", "Song")]
    [InlineData("3) Song", "Song")]
    [InlineData("07 Song", "Song")]
    [InlineData("1-03 Song", "Song")]
    [InlineData("01-Song", "Song")]
    [InlineData("1979", "1979")]
    [InlineData("99 Luftballons", "99 Luftballons")]
    [InlineData("2.5 Hours", "2.5 Hours")]
    public void LeadingTrackNumbersGo(string name, string title) => Assert.Equal(title, TagGuess.WithoutTrackNumber(name));

    [Fact]
    public void UnderscoresStandForSpacesInNamesWithoutSpaces() =>
        Assert.Equal("battle theme final", Guess("/m/x/battle_theme_final.it", album: "A").Title);

    [Fact]
    public void DiscFoldersLookOneLevelUp()
    {
        Assert.Equal("The Album", Guess("/m/The Album/CD2/t.mp3", "t").Album);
        Assert.Equal("The Album", Guess("/m/The Album/Disc 1/t.mp3", "t").Album);
    }

    [Fact]
    public void ArtistDashAlbumFoldersAndYearPrefixesSplit()
    {
        Assert.Equal(("Band", "Record", GuessedTags.Artist | GuessedTags.Album), (Guess("/m/Band - Record/x.mp3", "x").Artist,
            Guess("/m/Band - Record/x.mp3", "x").Album, Guess("/m/Band - Record/x.mp3", "x").Guessed));
        Assert.Equal("Record", Guess("/m/1999 - Record/x.mp3", "x", "A").Album);
        Assert.Equal("Record", Guess("/m/(2004) Record/x.mp3", "x", "A").Album);
    }

    [Fact]
    public void PlaceholdersCountAsMissing() =>
        Assert.Equal(("theme chip", GuessedTags.Title), (Guess("/m/x/theme_chip.it", "untitled", "A", "B").Title,
            Guess("/m/x/theme_chip.it", "untitled", "A", "B").Guessed));

    [Fact]
    public void TheAlbumArtistStandsInForAMissingArtistAndIsNotAGuess() =>
        Assert.Equal(("Various", GuessedTags.None), (Guess("/m/x/y.mp3", "T", null, "B", "Various").Artist, Guess("/m/x/y.mp3", "T", null, "B", "Various").Guessed));

    [Fact]
    public void AFileAtTheRootHasNoAlbumToGuess() => Assert.Null(Guess("/song.mp3", "T").Album);
}
