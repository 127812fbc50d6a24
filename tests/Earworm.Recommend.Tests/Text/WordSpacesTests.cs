using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;
using Earworm.Recommend.Text;

namespace Earworm.Recommend.Tests.Text;

public sealed class WordSpacesTests
{
    [Fact]
    public void TextHoldsTheTracksTextsReachAndTagsHoldsEveryTrackWithTagsOrText()
    {
        var texts = TrackTexts.Collect([(1, "Air", "Moon Safari"), (2, "Air", "Talkie Walkie"), (3, "Slayer", "Reign in Blood"), (4, "Nobody", null),
            (5, "Noone", null)],
        [
            new TextDocument(TextKind.Artist, "air", "Air", "Dreamy French electronic duo, analogue synths.", "a"),
            new TextDocument(TextKind.Album, "reign in blood", "Reign in Blood", "Fast thrash metal, loud guitars.", "b"),
        ]);
        var tags = new List<TrackTag>
        {
            new(2, "chill out", 3, TagSource.Import), new(3, "thrash metal", 5, TagSource.Import), new(4, "ambient", 1, TagSource.File),
            new(4, "chill out", 1, TagSource.User), new(5, "thrash metal", 1, TagSource.User), new(5, "loud", 1, TagSource.User),
        };
        var words = WordSpaces.Build(tags, texts);
        Assert.Equal([1L, 2, 3], words.Text!.Ids);
        Assert.Equal([1L, 2, 3, 4, 5], words.Tags!.Ids);
        // the two Air tracks share their artist's text: the same point of the text space
        Assert.Equal(1, words.Text.Similarity(words.Text.VectorOf(1), words.Text.VectorOf(2)), 5);
        // in the tags space, tags and texts together: track 4's "chill out" is on Air's track 2, track 5's "thrash metal" on Slayer's
        float Sim(long a, long b) => words.Tags.Similarity(words.Tags.VectorOf(a), words.Tags.VectorOf(b));
        Assert.True(Sim(4, 2) > Sim(4, 3), $"{Sim(4, 2)} vs {Sim(4, 3)}");
        Assert.True(Sim(5, 3) > Sim(5, 1), $"{Sim(5, 3)} vs {Sim(5, 1)}");
        Assert.True(Sim(3, 1) < 0.2, $"{Sim(3, 1)}");
        Assert.Equal("synths", texts.Show("synth"));
    }

    [Fact]
    public void NoWordsNoSpaces()
    {
        var words = WordSpaces.Build([], TrackTexts.Collect([(1, "A", null)], []));
        Assert.Null(words.Text);
        Assert.Null(words.Tags);
    }
}
