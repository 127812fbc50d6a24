using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Numerics;

public sealed class KernelRidgeRegressionTests
{
    // unit vectors around ±e₁ and ±e₂ in 8 dimensions; the target says which axis, not which sign: no linear map of the
    // inputs can tell (each class's mean is the origin), a local kernel can
    private static (List<double[]> X, List<float[]> Y) Axes(int perCluster, int seed)
    {
        var rng = new Random(seed);
        var x = new List<double[]>();
        var y = new List<float[]>();
        foreach (var (axis, sign) in new[] { (0, 1), (0, -1), (1, 1), (1, -1) })
            for (int i = 0; i < perCluster; i++)
            {
                var v = Enumerable.Range(0, 8).Select(_ => 0.15 * (rng.NextDouble() * 2 - 1)).ToArray();
                v[axis] += sign;
                x.Add(v);
                y.Add(axis == 0 ? [1f, 0f] : [0f, 1f]);
            }
        return (x, y);
    }

    [Fact]
    public void Follows_clusters_that_no_linear_map_separates()
    {
        var (x, y) = Axes(15, 1);
        var kernel = KernelRidgeRegression.Fit(x, y);
        var linear = RidgeRegression.Fit(x, y);
        double[] nearNegE1 = [-0.95, 0.1, 0, 0.05, 0, 0, 0, 0], nearPosE2 = [0.05, 0.9, 0, 0, 0.1, 0, 0, 0];
        var a = kernel.Predict(nearNegE1);
        var b = kernel.Predict(nearPosE2);
        Assert.True(a[0] > 0.8 && a[1] < 0.2, string.Join(", ", a));
        Assert.True(b[1] > 0.8 && b[0] < 0.2, string.Join(", ", b));
        var l = linear.Predict(nearNegE1);
        Assert.True(Math.Abs(l[0] - l[1]) < 0.3, string.Join(", ", l)); // the linear map cannot tell the axes apart
    }

    [Fact]
    public void With_a_tiny_penalty_it_interpolates_its_training_rows_and_the_inputs_scale_does_not_matter()
    {
        var (x, y) = Axes(5, 2);
        var model = KernelRidgeRegression.Fit(x, y, lambda: 1e-8, bandwidthScale: 4);
        for (int i = 0; i < x.Count; i++)
        {
            var p = model.Predict([.. x[i].Select(v => 3 * v)]); // unit-normalised: 3x is the same input
            Assert.Equal(y[i][0], p[0], 3);
            Assert.Equal(y[i][1], p[1], 3);
        }
    }

    [Fact]
    public void Cross_validation_picks_a_large_penalty_for_pure_noise_and_the_mean_is_what_is_left()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 6).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToList();
        var noise = x.Select(_ => new[] { (float)(rng.NextDouble() * 2 - 1 + 3) }).ToList();
        var model = KernelRidgeRegression.Fit(x, noise);
        Assert.True(model.Lambda >= 1, $"λ {model.Lambda}");
        double mean = noise.Average(r => r[0]);
        Assert.Equal(mean, model.Predict([0.3, -0.2, 0.5, 0.1, 0, 0.9])[0], 0.3);
    }

    [Fact]
    public void Standardising_keeps_a_feature_of_large_scale_from_drowning_the_others()
    {
        // the target follows feature 0; feature 1 is noise a thousand times larger
        var rng = new Random(7);
        var x = Enumerable.Range(0, 80).Select(_ => new[] { rng.NextDouble() * 2 - 1, 1000 * (rng.NextDouble() * 2 - 1), rng.NextDouble() * 2 - 1 }).ToList();
        var y = x.Select(r => new[] { (float)Math.Sign(r[0]) }).ToList();
        var z = KernelRidgeRegression.Fit(x, y, standardise: true);
        var raw = KernelRidgeRegression.Fit(x, y);
        double Error(KernelRidgeRegression m) => Enumerable.Range(0, 40).Select(_ => new[] { rng.NextDouble() * 2 - 1, 1000 * (rng.NextDouble() * 2 - 1), rng.NextDouble() * 2 - 1 })
            .Average(r => Math.Abs(m.Predict(r)[0] - Math.Sign(r[0])));
        Assert.True(Error(z) < 0.6 && Error(z) < Error(raw) - 0.2, $"{Error(z)} {Error(raw)}");
    }

    [Fact]
    public void Refuses_misshapen_input()
    {
        Assert.Throws<ArgumentException>(() => KernelRidgeRegression.Fit([[1.0, 0]], [[1f]]));
        Assert.Throws<ArgumentException>(() => KernelRidgeRegression.Fit([[1.0, 0], [0, 1]], [[1f]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelRidgeRegression.Fit([[1.0, 0], [0, 1]], [[1f], [0f]], lambda: 0));
        var model = KernelRidgeRegression.Fit([[1.0, 0], [0, 1], [1, 1]], [[1f], [0f], [0.5f]]);
        Assert.Throws<ArgumentException>(() => model.Predict([1.0, 0, 0]));
    }
}
