using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Numerics;

public sealed class NeighbourRegressionTests
{
    [Fact]
    public void Predicts_the_mean_target_of_the_nearest_rows_by_cosine()
    {
        // three rows near e₁ (targets 1, 2, 3), two near e₂ (targets 10, 20); length does not matter, direction does
        double[][] x = [[1, 0.1], [5, 0.4], [2, 0.1], [0.1, 1], [0.2, 3]];
        float[][] y = [[1], [2], [3], [10], [20]];
        var model = NeighbourRegression.Fit(x, y, k: 3);
        Assert.Equal(2f, model.Predict([7, 0.3])[0], 5);
        Assert.Equal((10f + 20f + 1f) / 3, model.Predict([0.1, 2])[0], 5); // two of e₂ and the closest of e₁ ([1, 0.1]: cosine 0.15)
    }

    [Fact]
    public void Cross_validation_picks_few_neighbours_for_tight_clusters()
    {
        var rng = new Random(4);
        var x = new List<double[]>();
        var y = new List<float[]>();
        for (int c = 0; c < 8; c++)
            for (int i = 0; i < 6; i++)
            {
                var v = Enumerable.Range(0, 8).Select(_ => 0.05 * rng.NextDouble()).ToArray();
                v[c] += 1;
                x.Add(v);
                y.Add([c, -c]);
            }
        var model = NeighbourRegression.Fit(x, y);
        Assert.True(model.K <= 5, $"k {model.K}");
        Assert.Equal(3f, model.Predict([0, 0, 0, 1, 0, 0, 0, 0.02])[0], 3);
    }
}
