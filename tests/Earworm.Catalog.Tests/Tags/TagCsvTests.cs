using Earworm.Catalog.Tags;

namespace Earworm.Catalog.Tests.Tags;

public sealed class TagCsvTests
{
    private static IReadOnlyList<TagRow> Read(string text) => TagCsv.Read(new StringReader(text), "tags.csv");

    [Fact]
    public void ReadsRowsWithOrWithoutHeaderAndWeight()
    {
        Assert.Equal([new TagRow("12", "hip hop", 1, 2), new TagRow("Some Artist", "calm", 2.5, 3)],
            Read("item,tag,weight\n12,Hip-Hop\n\"Some Artist\",Calm,2.5\n"));
        Assert.Equal([new TagRow("a.flac", "piano", 1, 1)], Read("a.flac\tpiano\n"));
    }

    [Theory]
    [InlineData("item,tag\n12\n", 2, "1 fields")]
    [InlineData("12,piano\n,piano\n", 2, "the item is empty")]
    [InlineData("12,piano\n13, \n", 2, "the tag is empty")]
    [InlineData("12,--\n", 1, "has no letter or digit")]
    [InlineData("12,piano,-1\n", 1, "is not a positive number")]
    [InlineData("12,piano,lots\n", 1, "is not a positive number")]
    [InlineData("12,piano,1,extra\n", 1, "4 fields")]
    [InlineData("", 1, "no rows")]
    public void AMalformedRowIsNamedByFileAndLine(string text, int line, string reason)
    {
        var e = Assert.Throws<DatasetFormatException>(() => Read(text));
        Assert.Equal(("tags.csv", line), (e.FilePath, e.LineNumber));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }
}
