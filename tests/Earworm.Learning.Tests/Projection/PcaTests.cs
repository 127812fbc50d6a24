using Earworm.Learning.Projection;

namespace Earworm.Learning.Tests.Projection;

public class PcaTests
{
    [Fact]
    public void PointsOnALineHaveOneComponentThatExplainsEverything()
    {
        // y = 2x in 2-D: the first component is (1, 2)/√5, the second has no variance left
        var data = new float[] { -2, -4, -1, -2, 0, 0, 1, 2, 2, 4 };
        var pca = Pca.Fit(data, 5, 2);
        Assert.Equal(1 / Math.Sqrt(5), pca.Components[0][0], 1e-9);
        Assert.Equal(2 / Math.Sqrt(5), pca.Components[0][1], 1e-9);
        Assert.Equal(1, pca.ExplainedVariance, 1e-9);
        Assert.Equal(2 * 5.0, pca.Variances[0], 1e-9); // mean of (score²): (4+1+0+1+4)·5/5
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(0, pca.Score(i, 1), 1e-9));
        Assert.Equal(-2 * Math.Sqrt(5), pca.Score(0, 0), 1e-9);
    }

    [Fact]
    public void ComponentsAreOrthonormalAndOrderedByVariance()
    {
        var rng = new Random(4);
        int n = 400, d = 5;
        var data = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) data[i * d + k] = (float)((rng.NextDouble() - 0.5) * (k + 1)); // variance grows with k
        var pca = Pca.Fit(data, n, d, 3);
        Assert.True(pca.Variances[0] >= pca.Variances[1] && pca.Variances[1] >= pca.Variances[2]);
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                Assert.Equal(a == b ? 1 : 0, pca.Components[a].Zip(pca.Components[b], (x, y) => x * y).Sum(), 1e-6);
        Assert.True(Math.Abs(pca.Components[0][4]) > 0.9, "the widest axis comes first");
        Assert.InRange(pca.ExplainedVariance, 0.5, 1);
    }

    [Fact]
    public void IdenticalRowsHaveNoVariance()
    {
        var pca = Pca.Fit([1f, 2f, 1f, 2f, 1f, 2f], 3, 2);
        Assert.Equal(0, pca.ExplainedVariance);
        Assert.All(pca.Scores, s => Assert.Equal(0, s));
    }
}
