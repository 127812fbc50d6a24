using Earworm.App.Similar;
using Earworm.Recommend;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Tests;

public sealed class SimilarityRuleTests : IDisposable
{
    private readonly SmallCatalog _library = new();

    public void Dispose() => _library.Dispose();

    [Theory]
    [InlineData(0.9, 0.9)]
    [InlineData(-0.5, -0.5)] // a cosine that points away never reads as close
    [InlineData(0.0, 0.0)]
    public void ACosineIsShownAsItIs(double cosine, double shown) => Assert.Equal(shown, SimilarityScale.Displayed(Metric.Cosine, cosine));

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-1.0, 0.5)]
    [InlineData(-3.0, 0.25)]
    public void ADistanceIsShownAsOneOverOnePlusIt(double negatedDistance, double shown) =>
        Assert.Equal(shown, SimilarityScale.Displayed(Metric.Euclidean, negatedDistance), 12);

    [Fact]
    public async Task SimilarTracksLeaveOutTheQueryAndScoreByTheRule()
    {
        var result = await _library.Services.Similar.FindAsync(new SimilarRequest { Track = _library.Ids[0].ToString(), Space = "audio", Count = 3 });
        Assert.Equal("audio", result.Space);
        Assert.Equal(_library.Ids[0], result.Query.Track!.Id);
        Assert.Equal([_library.Ids[1], _library.Ids[2], _library.Ids[3]], result.Results.Select(r => r.Track.Id)); // along the arc
        Assert.Equal(Math.Cos(0.3), result.Results[0].Score, 3);
        var byDescriptors = await _library.Services.Similar.FindAsync(new SimilarRequest { Track = "artist 0", Space = "descriptors", Count = 5 });
        Assert.All(byDescriptors.Results, r => Assert.InRange(r.Score, 0, 1));
        Assert.All(byDescriptors.Results, r => Assert.InRange(r.Score - 1 / (1 + r.Distance!.Value), -1e-3, 1e-3)); // both rounded to 4 places
        await Assert.ThrowsAsync<UsageException>(() => _library.Services.Similar.FindAsync(new SimilarRequest { Track = _library.Ids[5].ToString(), Space = "audio" }));
        await Assert.ThrowsAsync<UsageException>(() => _library.Services.Similar.FindAsync(new SimilarRequest { Track = "1", Space = "nope" }));
    }

    [Fact]
    public void OneRulePicksTheSpaceARequestDoesNotName()
    {
        Assert.Equal("audio", _library.Services.Library.Current.BestSpaceName);
        Assert.Equal("descriptors", SpaceService.Preferred(["descriptors", "hybrid"]));
        Assert.Equal("cf", SpaceService.Preferred(["descriptors", "cf", "hybrid"]));
        Assert.Equal("audio", SpaceService.Preferred(["cf", "track2vec", "audio"]));
        Assert.Equal(["audio", "hybrid", "descriptors"], _library.Services.Library.Current.AvailableSpaces);
    }
}
