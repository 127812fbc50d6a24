using Earworm.Catalog.Text;

namespace Earworm.Catalog.Tests.Contract;

public abstract partial class CatalogContract
{
    // ---- texts ----

    [ContractFact]
    public void TextsAreStoredOncePerKindAndKeyReplacedWhenChangedAndMoveTheGeneration()
    {
        long generation = Catalog.LibraryGeneration();
        var air = new TextDocument(TextKind.Artist, "air", "Air", "French duo, lush analogue synths.", "/t/texts/Air.md:1");
        var album = new TextDocument(TextKind.Album, "moon safari", "Moon Safari", "Dreamy debut.", "/t/texts.csv:2");
        var track = new TextDocument(TextKind.Track, "12", "12", "A slow song.", "/t/texts.csv:3");
        Assert.Equal(3, Catalog.SetTexts([air, album, track]));
        Assert.NotEqual(generation, Catalog.LibraryGeneration()); // the word spaces are made of them
        Assert.Equal([album, air, track], Catalog.AllTexts()); // by kind, then key
        Assert.Equal(0, Catalog.SetTexts([air, album])); // the same again: nothing
        var changed = air with { Body = "French electronic duo.", Source = "/t/other.csv:5" };
        Assert.Equal(1, Catalog.SetTexts([changed]));
        Assert.Equal(changed, Catalog.AllTexts().Single(t => t.Kind == TextKind.Artist));
        Assert.ThrowsAny<ArgumentException>(() => Catalog.SetTexts([air with { Body = " " }]));
    }
}
