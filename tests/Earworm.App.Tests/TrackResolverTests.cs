using Earworm.App.Library;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.App.Tests;

public sealed class TrackResolverTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CatalogStore _catalog;

    public TrackResolverTests()
    {
        _catalog = CatalogStore.Open(_dir.File("catalog.db"));
        _catalog.RecordDiscovered([new FoundFile("/m/a.mp3", 1, 1), new FoundFile("/m/b.mp3", 1, 1), new FoundFile("/m/c.mp3", 1, 1)],
            ["/m"], retryFailed: false);
        Analysed("/m/a.mp3", "Björk", "Jóga");
        Analysed("/m/b.mp3", "Air", "Alone in Kyoto");
        Analysed("/m/c.mp3", "Air", "Sexy Boy");
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }

    private void Analysed(string path, string artist, string title)
    {
        var id = _catalog.FindByPath(path)!.Id;
        _catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id,
            new MediaInfo { Container = "mp3", Codec = "mp3", Artist = artist, Title = title }, 1, 1, 1, null));
    }

    [Theory]
    [InlineData("bjork joga")]
    [InlineData("BJÖRK – Jóga")]
    [InlineData("jóga")]
    public void WordsMatchWhateverTheCaseAndAccents(string query) =>
        Assert.Equal("/m/a.mp3", TrackResolver.Find(_catalog, query)!.Path);

    [Fact]
    public void AFileOutsideTheLibraryWithATracksBytesIsThatTrack()
    {
        var copy = _dir.File("copy of b.mp3");
        File.WriteAllBytes(copy, [1, 2, 3, 4, 5]);
        var other = _dir.File("other.mp3");
        File.WriteAllBytes(other, [1, 2, 3, 4, 6]);
        var b = _catalog.FindByPath("/m/b.mp3")!;
        _catalog.SaveAnalysed(b.Id, new AnalysedTrack(5, 1, ContentHash.OfFile(copy),
            new MediaInfo { Container = "mp3", Codec = "mp3", Artist = "Air", Title = "Alone in Kyoto" }, 1, 1, 1, null));

        Assert.Equal(b.Id, TrackResolver.Find(_catalog, copy)!.Id);
        Assert.Null(TrackResolver.Find(_catalog, other));
        // SHA-256 of the bytes, as the scan stores it
        Assert.Equal("74f81fe167d99b4cb41d6d0ccda82278caee9f3e2f25d5e5a3936ff3dcec60d0", ContentHash.OfFile(copy));
    }

    [Fact]
    public void AnIdFindsItsTrackAndNoMatchIsNull()
    {
        var a = _catalog.FindByPath("/m/b.mp3")!;
        Assert.Equal(a.Id, TrackResolver.Find(_catalog, a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))!.Id);
        Assert.Null(TrackResolver.Find(_catalog, "nothing like it"));
    }

    [Fact]
    public void SeveralMatchesAreAnErrorThatListsThem()
    {
        var e = Assert.Throws<UsageException>(() => TrackResolver.Find(_catalog, "air"));
        Assert.Contains("matches 2 tracks", e.Message, StringComparison.Ordinal);
        Assert.Contains("Sexy Boy", e.Message, StringComparison.Ordinal);
    }
}
