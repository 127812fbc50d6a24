using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Numerics;

public sealed class RidgeRegressionTests
{
    [Fact]
    public void Recovers_a_known_linear_map_with_bias()
    {
        var rng = new Random(3);
        var w = new double[4, 3] { { 1, -2, 0.5 }, { 0, 3, -1 }, { 2, 0, 0 }, { -1, 1, 1 } };
        double[] b = [0.3, -0.7, 2];
        var x = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * 10 - 5).ToArray()).ToList();
        float[] Map(double[] row) => [.. Enumerable.Range(0, 3).Select(o => (float)(b[o] + Enumerable.Range(0, 4).Sum(i => row[i] * w[i, o])))];
        var y = x.Select(Map).ToList();

        var model = RidgeRegression.Fit(x, y, lambda: 1e-6);

        var fresh = new double[] { 1.5, -2.5, 0.25, 4 };
        var expected = Map(fresh);
        var actual = model.Predict(fresh);
        for (int o = 0; o < 3; o++) Assert.Equal(expected[o], actual[o], 3);
    }

    [Fact]
    public void Cross_validation_picks_a_small_penalty_for_noiseless_data_and_a_large_one_for_pure_noise()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, 6).Select(_ => rng.NextDouble()).ToArray()).ToList();
        var linear = x.Select(r => new[] { (float)(3 * r[0] - 2 * r[5]) }).ToList();
        var noise = x.Select(_ => new[] { (float)(rng.NextDouble() * 2 - 1) }).ToList();
        Assert.True(RidgeRegression.Fit(x, linear).Lambda <= 0.1);
        Assert.True(RidgeRegression.Fit(x, noise).Lambda >= 10);
    }

    [Fact]
    public void With_more_features_than_samples_the_kernel_solve_gives_the_same_predictions_as_the_gram_solve()
    {
        var rng = new Random(8);
        var x = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray()).ToList();
        var y = x.Select(r => new[] { (float)(r[0] - r[7] + 0.1 * rng.NextDouble()), (float)r[3] }).ToList();
        var dual = RidgeRegression.Fit(x, y, lambda: 2);             // 30 features > 12 samples: kernel side
        var fresh = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray();
        var a = dual.Predict(fresh);
        var b = Primal(x, y, 2).Predict(fresh);
        for (int o = 0; o < 2; o++) Assert.Equal(b[o], a[o], 4);
    }

    /// <summary>The feature-side solution of the same problem: every sample three times (36 samples, more than the 30
    /// features) and λ three times leave the mean, the deviation and (XᵀX + λI)⁻¹XᵀY unchanged.</summary>
    private static RidgeRegression Primal(List<double[]> x, List<float[]> y, double lambda)
    {
        var xs = x.Concat(x).Concat(x).ToList();
        var ys = y.Concat(y).Concat(y).ToList();
        return RidgeRegression.Fit(xs, ys, lambda: 3 * lambda);
    }

    [Fact]
    public void Centred_only_a_feature_of_small_spread_is_shrunk_more_than_when_z_scored()
    {
        // y = x₀ + 100·x₁ with x₁ a hundred times narrower: both features explain as much of y; z-scored they are
        // penalised alike, only centred the narrow one's large weight costs far more
        var rng = new Random(2);
        var x = Enumerable.Range(0, 50).Select(_ => new[] { rng.NextDouble() * 2 - 1, (rng.NextDouble() * 2 - 1) / 100 }).ToList();
        var y = x.Select(r => new[] { (float)(r[0] + 100 * r[1]) }).ToList();
        var z = RidgeRegression.Fit(x, y, lambda: 5);
        var c = RidgeRegression.Fit(x, y, lambda: 5, standardise: false);
        double[] narrow = [0, 0.01];
        Assert.True(z.Predict(narrow)[0] - z.Predict([0, 0])[0] > 0.8, "z-scored: the narrow feature keeps most of its effect");
        Assert.True(c.Predict(narrow)[0] - c.Predict([0, 0])[0] < 0.1, "centred: the narrow feature is shrunk away");
    }

    [Fact]
    public void A_constant_feature_is_ignored_rather_than_dividing_by_zero()
    {
        var x = Enumerable.Range(0, 10).Select(i => new double[] { i, 7 }).ToList();
        var y = x.Select(r => new[] { (float)(2 * r[0] + 1) }).ToList();
        var model = RidgeRegression.Fit(x, y, lambda: 1e-6);
        Assert.Equal(21f, model.Predict([10, 7])[0], 2);
    }
}
