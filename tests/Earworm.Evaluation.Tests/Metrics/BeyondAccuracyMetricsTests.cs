using Earworm.Evaluation.Metrics;
using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Metrics;

public class BeyondAccuracyMetricsTests
{
    [Fact]
    public void CoverageCountsDistinctItemsInTheTopK()
    {
        // top 2 of each: {1, 2} ∪ {2, 3} ∪ {} = {1, 2, 3} → 3 of 10
        Assert.Equal(0.3, BeyondAccuracyMetrics.CatalogCoverage([[1, 2, 3], [2, 3, 4], []], 2, 10), 1e-12);
    }

    [Fact]
    public void DiversityIsTheMeanPairwiseCosineDistance()
    {
        float[][] space = [[1, 0], [0, 1], [1, 1], [0, 0]];
        ReadOnlyMemory<float> Vector(int item) => space[item];
        // (0, 1): cos 0 → 1; (0, 2) and (1, 2): cos 1/√2 → 1 − 0.7071068 = 0.2928932 each
        // mean = (1 + 2 · 0.2928932) / 3 = 0.5285955
        Assert.Equal((1 + 2 * (1 - 1 / Math.Sqrt(2))) / 3, BeyondAccuracyMetrics.IntraListDiversity([0, 1, 2], 3, Vector), 1e-7);
        // k = 2 keeps the pair (0, 1) only
        Assert.Equal(1.0, BeyondAccuracyMetrics.IntraListDiversity([0, 1, 2], 2, Vector), 1e-12);
        // a zero vector is at distance 1 from everything; one item has no pairs
        Assert.Equal(1.0, BeyondAccuracyMetrics.IntraListDiversity([0, 3], 5, Vector), 1e-12);
        Assert.Equal(0.0, BeyondAccuracyMetrics.IntraListDiversity([0], 5, Vector));
        // the same direction twice: distance 0
        Assert.Equal(0.0, BeyondAccuracyMetrics.IntraListDiversity([2, 2], 5, Vector), 1e-7);
    }

    [Fact]
    public void DiversityRejectsVectorsOfDifferentLengths()
    {
        float[][] space = [[1, 0], [1, 0, 0]];
        Assert.Throws<ArgumentException>(() => BeyondAccuracyMetrics.IntraListDiversity([0, 1], 2, i => space[i]));
    }

    [Fact]
    public void NoveltyIsTheMeanSelfInformation()
    {
        // 8 users; popularity 4, 2, 1, 0 → −log2(4/8) = 1, −log2(2/8) = 2, −log2(1/8) = 3, and the unseen
        // item counts as one user: 3 → mean 9/4 = 2.25 bits
        int[] popularity = [4, 2, 1, 0];
        Assert.Equal(2.25, BeyondAccuracyMetrics.Novelty([0, 1, 2, 3], 4, popularity, 8), 1e-12);
        // top 2: (1 + 2) / 2
        Assert.Equal(1.5, BeyondAccuracyMetrics.Novelty([0, 1, 2, 3], 2, popularity, 8), 1e-12);
        Assert.Equal(0.0, BeyondAccuracyMetrics.Novelty([], 2, popularity, 8));
    }

    [Fact]
    public void AveragePopularityIsTheMeanUserCount()
    {
        int[] popularity = [4, 2, 1, 0];
        // (4 + 2 + 1 + 0) / 4 = 1.75; top 3: 7/3
        Assert.Equal(1.75, BeyondAccuracyMetrics.AveragePopularity([0, 1, 2, 3], 10, popularity), 1e-12);
        Assert.Equal(7.0 / 3, BeyondAccuracyMetrics.AveragePopularity([0, 1, 2, 3], 3, popularity), 1e-12);
    }

    [Fact]
    public void PopularityIsTheNumberOfDistinctUsers()
    {
        // user 0 played item 1 three times in two records: still one user
        var m = InteractionMatrix.FromInteractions([new(0, 1, 2), new(0, 1, 1), new(1, 1, 5), new(1, 0, 1)], 3, 3);
        Assert.Equal([1, 2, 0], ItemPopularity.UserCounts(m));
    }

    [Fact]
    public void PopularityBandsDouble()
    {
        Assert.Equal([0, 1, 2, 2, 3, 3, 3, 3, 4], Enumerable.Range(0, 9).Select(PopularityHistogram.Band));
        Assert.Equal("0", PopularityHistogram.BandLabel(0));
        Assert.Equal("1", PopularityHistogram.BandLabel(1));
        Assert.Equal("4–7", PopularityHistogram.BandLabel(3));
        Assert.Equal(12, PopularityHistogram.BandCount(1892));   // 1892 lies in band 11 (1024–2047)
        var counts = new long[4];
        PopularityHistogram.Add([0, 1, 2, 3], [5, 1, 0, 1], counts);
        Assert.Equal([1L, 2, 0, 1], counts);
        Assert.Equal([0.25, 0.5, 0, 0.25], new PopularityHistogram(counts).Shares());
    }
}
