using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;
using Earworm.Recommend.Text;

namespace Earworm.Recommend.Tests.Text;

public sealed class WordQueryTests
{
    private static readonly TrackTexts Texts = TrackTexts.Collect(
        [(1, "Satie", null), (2, "Einaudi", null), (3, "Slayer", null), (4, "Nobody", null)],
        [
            new TextDocument(TextKind.Artist, "satie", "Satie", "Gentle, sparse piano pieces; calm and slow.", "a"),
            new TextDocument(TextKind.Artist, "einaudi", "Einaudi", "Calm, slow piano melodies, soft and minimal.", "b"),
            new TextDocument(TextKind.Artist, "slayer", "Slayer", "Loud, fast thrash metal with shouting and pounding drums.", "c"),
        ]);

    private static readonly List<TrackTag> Tags = [new(3, "metal", 2, TagSource.Import), new(4, "piano", 1, TagSource.File)];

    [Fact]
    public void AWordNeverGivenAsATagFindsTheTracksWhoseTextsSayItOrWhatIsSaidWithIt()
    {
        var words = WordSpaces.Build(Tags, Texts);
        var r = WordQuery.Match("something gentle", Tags, words, _ => true);
        Assert.Equal([1L, 2], r.Tracks.Select(m => m.TrackId).Order()); // Einaudi's text never says "gentle": its words do
        Assert.Equal(1, r.Tracks[0].TrackId); // Satie's says it
        Assert.Equal(["texts"], r.Matched["gentle"]);
        Assert.Empty(r.Unmatched);
        Assert.All(r.Tracks, m => Assert.Equal(["gentle"], m.Words));
    }

    [Fact]
    public void TagsAndTextsAddUpAndTracksOutsideTheSpaceAreLeftOut()
    {
        var words = WordSpaces.Build(Tags, Texts);
        var r = WordQuery.Match("piano", Tags, words, _ => true);
        Assert.Equal([1L, 2, 4], r.Tracks.Select(m => m.TrackId).Order()); // track 4 by its tag, 1 and 2 by their texts
        Assert.Equal(["piano", "texts"], r.Matched["piano"]);
        var some = WordQuery.Match("piano", Tags, words, id => id != 2);
        Assert.DoesNotContain(some.Tracks, m => m.TrackId == 2);
        var none = WordQuery.Match("bagpipes", Tags, words, _ => true);
        Assert.Empty(none.Tracks);
        Assert.Equal(["bagpipes"], none.Unmatched);
        Assert.Throws<ArgumentException>(() => WordQuery.Match("  ", Tags, words, _ => true));
    }
}
