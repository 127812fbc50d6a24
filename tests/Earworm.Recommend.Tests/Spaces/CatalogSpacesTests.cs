using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend.Spaces;
using Earworm.Testing;

namespace Earworm.Recommend.Tests.Spaces;

/// <summary>Spaces over a real catalog file: six analysed tracks with descriptors, five with an audio vector.</summary>
public sealed class CatalogSpacesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CatalogStore _catalog;
    private readonly List<long> _ids;

    public CatalogSpacesTests()
    {
        _catalog = CatalogStore.Open(_dir.File("catalog.db"));
        _ids = SixTrackCatalog.Fill(_catalog);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task LearnedSpacesComeFromTheCatalogAndTheHybridHoldsTheTracksInEverySpace()
    {
        var spaces = new SpaceService(_catalog);
        Assert.Equal(6, spaces.Load("descriptors").Count);
        Assert.Equal(Metric.Euclidean, spaces.Load("descriptors").Metric);
        var audio = spaces.Load("audio");
        Assert.Equal(5, audio.Count);
        Assert.Equal(3, audio.Dimension);
        var hybrid = spaces.Load("hybrid");
        Assert.Equal(_ids.Take(5), hybrid.Ids);
        Assert.Equal(DescriptorSpace.Dimension + 3, hybrid.Dimension);
        Assert.Contains("audio (0.5)", hybrid.Description, StringComparison.Ordinal);
        Assert.Equal("audio", spaces.PreferredSpace());
        Assert.Contains("earworm train cf", spaces.Summaries().Single(s => s.Name == "cf").FillWith, StringComparison.Ordinal);
        // a file can be placed in descriptors, not in audio without the embedder
        var d = _catalog.FindDescriptors(_ids[0])!;
        Assert.Equal(spaces.Load("descriptors").VectorOf(_ids[0]).ToArray(), spaces.ProjectDescriptors(d));
        var e = await Assert.ThrowsAsync<UsageException>(() => spaces.FileVectorAsync("audio", "/x.mp3", d, null, default));
        Assert.Contains("needs the catalog's audio model", e.Message, StringComparison.Ordinal);
    }
}
