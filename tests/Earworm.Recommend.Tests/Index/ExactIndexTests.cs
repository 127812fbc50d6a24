namespace Earworm.Recommend.Tests;

public class ExactIndexTests
{
    private static readonly (long, float[])[] Rows =
    [
        (10, [1, 0, 0]), (11, [0.9f, 0.1f, 0]), (12, [0, 1, 0]), (13, [0, 0, 5]), (14, [-1, 0, 0]),
    ];

    [Fact]
    public void CosineRanksByAngleWhateverTheLength()
    {
        var index = new ExactIndex(Rows, Metric.Cosine);
        var n = index.Nearest([2, 0, 0], 3);
        Assert.Equal([10L, 11, 12], n.Select(x => x.Key));
        Assert.Equal(1f, n[0].Score, 5);
        Assert.Equal(0.9f / MathF.Sqrt(0.82f), n[1].Score, 5);
    }

    [Fact]
    public void EuclideanRanksByDistance()
    {
        var index = new ExactIndex(Rows, Metric.Euclidean);
        var n = index.Nearest([0, 0, 4], 2);
        Assert.Equal([13L, 11], n.Select(x => x.Key)); // 11 is √16.82 away, 12 is √17
        Assert.Equal(-1f, n[0].Score, 5);
        Assert.Equal(-MathF.Sqrt(16.82f), n[1].Score, 4);
    }

    [Fact]
    public void ExclusionAndShortIndexes()
    {
        var index = new ExactIndex(Rows, Metric.Cosine);
        Assert.Equal([11L, 12, 13, 14], index.Nearest([1, 0, 0], 10, key => key == 10).Select(x => x.Key).Take(4).Order());
        Assert.Equal(4, index.Nearest([1, 0, 0], 10, key => key == 10).Count);
        Assert.Empty(index.Nearest([1, 0, 0], 0));
        Assert.Throws<ArgumentException>(() => index.Nearest([1, 0], 1));
    }

    [Fact]
    public void SimdAndScalarTailsAgree()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 37).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 37).Select(_ => (float)rng.NextDouble()).ToArray();
        Assert.Equal(a.Zip(b).Sum(p => (double)p.First * p.Second), Earworm.Learning.Numerics.Simd.Dot(a, b), 4);
        Assert.Equal(a.Zip(b).Sum(p => (double)(p.First - p.Second) * (p.First - p.Second)), Earworm.Learning.Numerics.Simd.SquaredDistance(a, b), 4);
    }
}
