using Earworm.Catalog.Tags;

namespace Earworm.Catalog.Tests.Tags;

public sealed class TagTextTests
{
    [Theory]
    [InlineData("Hip-Hop", "hip hop")]
    [InlineData("hip_hop", "hip hop")]
    [InlineData("  HIP   hop ", "hip hop")]
    [InlineData("Électronique", "electronique")]
    [InlineData("Drum & Bass", "drum and bass")]
    [InlineData("drum'n'bass", "drum and bass")]
    [InlineData("Rock 'n' Roll", "rock and roll")]
    [InlineData("80's", "80 s")]
    [InlineData("C#", "c#")]
    [InlineData("post-rock / shoegaze", "post rock shoegaze")]
    public void NormalisesCaseAccentsAndSeparators(string raw, string expected) => Assert.Equal(expected, TagText.Normalise(raw));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("--//--")]
    [InlineData(null)]
    public void NothingLeftIsNoTag(string? raw) => Assert.Null(TagText.Normalise(raw));

    [Fact]
    public void ALongSentenceIsNoTag() => Assert.Null(TagText.Normalise(new string('a', TagText.MaxLength + 1)));

    [Fact]
    public void SpellingVariantsShareOneKey()
    {
        var keys = new[] { "hip hop", "Hip-Hop", "hiphop", "HIP_HOP" }.Select(t => TagText.Key(TagText.Normalise(t)!)).Distinct();
        Assert.Equal(["hiphop"], keys);
        Assert.Equal(TagText.Key(TagText.Normalise("drum'n'bass")!), TagText.Key(TagText.Normalise("Drum and Bass")!));
        Assert.NotEqual(TagText.Key("rock"), TagText.Key("pop rock"));
    }
}
