using System.Text.Json;
using Earworm.Testing;
using Earworm.Evaluation.Data;
using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Data;

public class LastFmUserArtistsTests
{
    private static LastFmUserArtists Parse(string text) => LastFmUserArtists.Parse(new StringReader(text), "user_artists.dat");

    [Fact]
    public void MapsIdsToDenseIndicesInOrderOfFirstAppearance()
    {
        var read = Parse("userID\tartistID\tweight\r\n2\t51\t13883\r\n2\t52\t11690\r\n\r\n7\t52\t5\r\n7\t1000\t0\r\n");
        Assert.Equal([2, 7], read.Users.Ids);
        Assert.Equal([51, 52, 1000], read.Artists.Ids);
        Assert.True(read.Artists.TryGetIndex(52, out int i52));
        Assert.Equal(1, i52);
        Assert.False(read.Users.TryGetIndex(3, out _));
        Assert.Equal(7, read.Users[1]);
        // the weight-0 row keeps its artist in the map but is no interaction
        Assert.Equal([new Interaction(0, 0, 13883), new Interaction(0, 1, 11690), new Interaction(1, 1, 5)], read.Dataset.Interactions);
        Assert.Equal((2, 3), (read.Dataset.UserCount, read.Dataset.ItemCount));
        Assert.Equal("lastfm-2k", read.Dataset.Name);
    }

    [Theory]
    [InlineData("userID\tartistID\tweight\n2\t51\t10\n2\t52\n", 3, "expected 3 tab-separated columns")]
    [InlineData("userID\tartistID\tweight\n2\t51\t10\n2\t52\t1\t9\n", 3, "more than 3")]
    [InlineData("userID\tartistID\tweight\n2\t51\t10\n\n2\tx52\t10\n", 4, "artistID \"x52\"")]
    [InlineData("userID\tartistID\tweight\n-2\t51\t10\n", 2, "userID \"-2\"")]
    [InlineData("userID\tartistID\tweight\n2\t51\t-3\n", 2, "weight \"-3\"")]
    [InlineData("userID\tartistID\tweight\n2\t51\tNaN\n", 2, "weight \"NaN\"")]
    [InlineData("userID,artistID,weight\n2,51,10\n", 1, "expected the header")]
    [InlineData("", 1, "empty file")]
    public void AMalformedLineNamesTheFileAndLine(string text, int line, string reason)
    {
        var e = Assert.Throws<DatasetFormatException>(() => Parse(text));
        Assert.Equal("user_artists.dat", e.FilePath);
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"user_artists.dat:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<EarwormException>(e);
    }

    [Fact]
    public void ReadsTheSampleFolder()
    {
        // tests/fixtures/lastfm-2k-sample: synthetic HetRec files, the figures computed by their generate.py
        var expected = JsonDocument.Parse(File.ReadAllText(TestData.FixtureFile("lastfm-2k-sample", "expected.json"))).RootElement;
        int Figure(string name) => expected.GetProperty(name).GetInt32();
        var read = LastFmUserArtists.ReadFile(TestData.FixtureFile("lastfm-2k-sample", "user_artists.dat"));
        Assert.Equal(Figure("interactions"), read.Dataset.Interactions.Count);
        Assert.Equal(Figure("users"), read.Dataset.UserCount);
        Assert.Equal(Figure("artists_in_rows"), read.Dataset.ItemCount); // weight-0 rows keep their artist in the map
        Assert.Equal(Figure("first_user_id"), read.Users[0]);
        Assert.Equal(Figure("first_artist_id"), read.Artists[0]);
    }
}
