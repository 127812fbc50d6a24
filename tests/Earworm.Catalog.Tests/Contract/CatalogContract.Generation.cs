using Earworm.Catalog.Scanning;

namespace Earworm.Catalog.Tests.Contract;

/// <summary>The library's generation (<see cref="ICatalog.LibraryGeneration"/>): what a library view reads moves it on,
/// what listeners do leaves it.</summary>
public abstract partial class CatalogContract
{
    [ContractFact]
    public void TheLibraryGenerationMovesWithTheLibraryAndNotWithListening()
    {
        long Moved(Action write)
        {
            long before = Catalog.LibraryGeneration();
            write();
            return Catalog.LibraryGeneration() - before;
        }

        long a = 0;
        Assert.True(Moved(() => a = Analysed("/m/a.mp3", "A", "One", "h1")) > 0);
        Assert.True(Moved(() => Catalog.RecordSkipped([new SkippedFile("/m/cover.jpg", 5, 1, "not audio (.jpg file)")], ["/m"])) > 0);
        long model = 0;
        Assert.True(Moved(() => model = Catalog.SaveModel("audio", "shipped", "v1", "{}", "d1", null, null).Id) > 0);
        Assert.True(Moved(() => Catalog.SaveTrackVectors("audio", model, [(a, new[] { 1f, 0f })])) > 0);
        Assert.True(Moved(() => Catalog.SaveAccount("alice", [1, 2, 3])) > 0);
        Assert.True(Moved(() => Catalog.AddApiKey("alice", new string('0', 64), "phone")) > 0);

        Assert.Equal(0, Moved(() => Catalog.RecordFeedback("alice", a, FeedbackKind.Play)));
        Assert.Equal(0, Moved(() => Catalog.RetractFeedback("alice", a, FeedbackKind.Play)));
        Assert.Equal(0, Moved(() => Catalog.SetStar("alice", StarKind.Album, "al-1", starred: true)));
        Assert.Equal(0, Moved(() => Catalog.CreatePlaylist("alice", "mine", [a])));
        Assert.Equal(0, Moved(() => ImportCsv("user,item,count\nbob,/m/a.mp3,3\n")));
    }
}
