using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;
using Earworm.Recommend.Text;

namespace Earworm.Recommend.Tests.Text;

public sealed class WordSpacesTests
{
    [Fact]
    public void TextHoldsTheTracksTextsReachAndTagsHoldsEveryTrackWithTagsOrText()
    {
        var texts = TrackTexts.Collect([(1, "Air", "Moon Safari"), (2, "Air", "Talkie Walkie"), (3, "Slayer", "Reign in Blood"), (4, "Nobody", null)],
        [
            new TextDocument(TextKind.Artist, "air", "Air", "Dreamy French electronic duo, analogue synths.", "a"),
            new TextDocument(TextKind.Album, "reign in blood", "Reign in Blood", "Fast thrash metal, loud guitars.", "b"),
        ]);
        var tags = new List<TrackTag>
        {
            new(2, "chill out", 3, TagSource.Import), new(3, "thrash metal", 5, TagSource.Import), new(4, "ambient", 1, TagSource.File),
            new(4, "chill out", 1, TagSource.User),
        };
        var words = WordSpaces.Build(tags, texts);
        Assert.Equal([1L, 2, 3], words.Text!.Ids);
        Assert.Equal([1L, 2, 3, 4], words.Tags!.Ids);
        // the two Air tracks share their artist's text: the same point of the text space
        Assert.Equal(1, words.Text.Similarity(words.Text.VectorOf(1), words.Text.VectorOf(2)), 5);
        // in the tags space track 2's "chill out" also brings it near track 4
        Assert.True(words.Tags.Similarity(words.Tags.VectorOf(2), words.Tags.VectorOf(4)) >
                    words.Tags.Similarity(words.Tags.VectorOf(1), words.Tags.VectorOf(4)));
        Assert.True(words.Tags.Similarity(words.Tags.VectorOf(3), words.Tags.VectorOf(1)) < 0.2);
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
