using Earworm.Catalog.Tags;
using Earworm.Recommend.Text;

namespace Earworm.Recommend.Tests.Text;

public sealed class TagQueryTests
{
    private static readonly TrackTag[] Tags =
    [
        new(1, "piano", 3, TagSource.Import), new(1, "calm", 1, TagSource.File),
        new(2, "calm", 2, TagSource.File), new(2, "synth pad", 1, TagSource.File),
        new(3, "drums", 1, TagSource.File), new(3, "electric guitar", 1, TagSource.File),
        new(4, "drum and bass", 1, TagSource.File), new(4, "rainy day", 1, TagSource.User),
    ];

    [Fact]
    public void BothWordsBeatOneAndTheRarerTagWeighsMore()
    {
        var q = TagQuery.Match("Calm piano for the evening", Tags);
        Assert.Equal([1L, 2L], q.Tracks.Select(t => t.TrackId));
        Assert.Equal(["calm", "piano"], q.Tracks[0].Words);
        Assert.Equal(["evening"], q.Unmatched); // "for" and "the" are stop words, not misses
    }

    [Fact]
    public void PhrasesPluralsAndSpellingsMatchTheirTags()
    {
        Assert.Equal([4L], TagQuery.Match("drum'n'bass on a rainy day", Tags).Tracks.Select(t => t.TrackId));
        Assert.Equal(["rainy day"], TagQuery.Match("rainy-day", Tags).Matched.Keys);
        Assert.Equal([1L], TagQuery.Match("pianos", Tags).Tracks.Select(t => t.TrackId));
    }

    [Fact]
    public void AWordOfALongerTagMatchesItAtHalfWeight()
    {
        var q = TagQuery.Match("guitar drums", Tags);
        var only = Assert.Single(q.Tracks);
        Assert.Equal(3, only.TrackId);
        Assert.Equal(["guitar", "drums"], only.Words);
        Assert.Equal(["electric guitar"], q.Matched["guitar"]);
    }

    [Fact]
    public void AQueryWithoutWordsIsRefused() => Assert.Throws<ArgumentException>(() => TagQuery.Match(" -- ", Tags));
}
