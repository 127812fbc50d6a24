using Earworm.Catalog.Tags;

namespace Earworm.Catalog.Tests.Tags;

public sealed class FileTagsTests
{
    [Fact]
    public void ReadsGenreMoodGroupingAndStyleSplitAndNormalised()
    {
        var tags = new Dictionary<string, string>
        {
            ["genre"] = "Hip-Hop; Jazz/Soul",
            ["mood"] = "Calm",
            ["grouping"] = "Evening",
            ["style"] = "hiphop", // the same tag as the genre's first: kept once
            ["title"] = "Not a tag",
        };
        Assert.Equal(["hip hop", "jazz", "soul", "calm", "evening"], FileTags.From(tags));
    }

    [Fact]
    public void ACommentOfKeywordsGivesTagsAndProseOrALinkGivesNone()
    {
        Assert.Equal(["piano", "rainy day", "late night"], FileTags.From(new Dictionary<string, string> { ["comment"] = "piano, rainy day; late night" }));
        Assert.Empty(FileTags.From(new Dictionary<string, string> { ["comment"] = "Recorded live at the town hall in the spring of 1999" }));
        Assert.Empty(FileTags.From(new Dictionary<string, string> { ["comment"] = "piano, https://example.org/x" }));
        Assert.Empty(FileTags.From(new Dictionary<string, string> { ["comment"] = "2001, 12" }));
    }
}
