using Earworm.Learning.Projection;

namespace Earworm.Learning.Tests.Projection;

public sealed class TsneTests
{
    /// <summary>Three points at (0,0), (1,0), (0,1) with uniform P (1/6 per ordered pair): worked out by hand,
    /// w₁₂ = w₁₃ = 1/2, w₂₃ = 1/3, Z = 8/3, q₁₂ = q₁₃ = 3/16, q₂₃ = 1/8.</summary>
    [Fact]
    public void Gradient_and_cost_match_a_case_worked_by_hand()
    {
        var p = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) if (i != j) p[i * 3 + j] = 1.0 / 6;
        double[] y = [0, 0, 1, 0, 0, 1];
        var g = new double[6];
        double kl = Tsne.Gradient(p, y, 3, g);
        // KL = (1/3)(2 ln(8/9) + ln(4/3)) = (1/3) ln(256/243)
        Assert.Equal(Math.Log(256.0 / 243) / 3, kl, 12);
        // ∂C/∂y₁ = 4[(1/6 − 3/16)(1/2)(−1, 0) + (1/6 − 3/16)(1/2)(0, −1)] = (1/24, 1/24)
        Assert.Equal(1.0 / 24, g[0], 12);
        Assert.Equal(1.0 / 24, g[1], 12);
        // ∂C/∂y₂ = 4[(−1/96)(1, 0) + (1/24)(1/3)(1, −1)] = (1/72, −1/18)
        Assert.Equal(1.0 / 72, g[2], 12);
        Assert.Equal(-1.0 / 18, g[3], 12);
        // the forces balance
        Assert.Equal(0, g[0] + g[2] + g[4], 12);
        Assert.Equal(0, g[1] + g[3] + g[5], 12);
    }

    [Fact]
    public void Gradient_matches_finite_differences_of_the_cost()
    {
        var rng = new Random(4);
        int n = 6;
        var data = Enumerable.Range(0, n * 3).Select(_ => (float)rng.NextDouble()).ToArray();
        var p = Tsne.JointProbabilities(Tsne.SquaredDistances(data, n, 3), n, 2);
        var y = Enumerable.Range(0, 2 * n).Select(_ => rng.NextDouble()).ToArray();
        var g = new double[2 * n];
        Tsne.Gradient(p, y, n, g);
        var scratch = new double[2 * n];
        for (int a = 0; a < 2 * n; a++)
        {
            double h = 1e-6, keep = y[a];
            y[a] = keep + h;
            double up = Tsne.Gradient(p, y, n, scratch);
            y[a] = keep - h;
            double down = Tsne.Gradient(p, y, n, scratch);
            y[a] = keep;
            Assert.Equal((up - down) / (2 * h), g[a], 6);
        }
    }

    [Fact]
    public void Affinities_are_a_symmetric_distribution_and_each_row_has_the_perplexity()
    {
        var rng = new Random(2);
        int n = 40, d = 5;
        var data = Enumerable.Range(0, n * d).Select(_ => (float)rng.NextDouble()).ToArray();
        var dist = Tsne.SquaredDistances(data, n, d);
        var p = Tsne.JointProbabilities(dist, n, 7);
        Assert.Equal(1, p.Sum(), 6);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0, p[i * n + i]);
            for (int j = 0; j < n; j++) Assert.Equal(p[i * n + j], p[j * n + i], 15);
        }
        // each conditional row's entropy is ln(perplexity)
        var conditional = Tsne.ConditionalProbabilities(dist, n, 7);
        for (int i = 0; i < n; i++)
        {
            double h = 0;
            for (int j = 0; j < n; j++) if (conditional[i * n + j] > 0) h -= conditional[i * n + j] * Math.Log(conditional[i * n + j]);
            Assert.Equal(7, Math.Exp(h), 3);
        }
        // a larger perplexity spreads the mass: the nearest neighbour of point 0 gets less
        var wide = Tsne.JointProbabilities(dist, n, 20);
        int nearest = Enumerable.Range(1, n - 1).OrderBy(j => dist[j]).First();
        Assert.True(wide[nearest] < p[nearest]);
    }

    private static (float[] Data, int[] Labels) Clusters(int perCluster, int clusters, int dims, int seed)
    {
        var rng = new Random(seed);
        var data = new float[perCluster * clusters * dims];
        var labels = new int[perCluster * clusters];
        for (int c = 0; c < clusters; c++)
            for (int i = 0; i < perCluster; i++)
            {
                int row = c * perCluster + i;
                labels[row] = c;
                for (int k = 0; k < dims; k++)
                    data[row * dims + k] = (k == c ? 10f : 0f) + (float)(rng.NextDouble() - 0.5);
            }
        return (data, labels);
    }

    [Fact]
    public void Well_separated_clusters_stay_apart_and_neighbourhoods_are_kept()
    {
        var (data, labels) = Clusters(perCluster: 25, clusters: 4, dims: 8, seed: 3);
        int n = labels.Length;
        var map = Tsne.Embed(data, n, 8, new TsneOptions { Perplexity = 10, Iterations = 500 });
        // each point's 5 nearest map neighbours share its cluster
        int agree = 0;
        for (int i = 0; i < n; i++)
        {
            var near = Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => Math.Pow(map.X[i] - map.X[j], 2) + Math.Pow(map.Y[i] - map.Y[j], 2)).Take(5);
            agree += near.Count(j => labels[j] == labels[i]);
        }
        Assert.Equal(5 * n, agree);
        // the closest pair across clusters is farther apart than the widest spread inside one
        double between = double.MaxValue, within = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double dd = Math.Sqrt(Math.Pow(map.X[i] - map.X[j], 2) + Math.Pow(map.Y[i] - map.Y[j], 2));
                if (labels[i] == labels[j]) within = Math.Max(within, dd);
                else between = Math.Min(between, dd);
            }
        Assert.True(between > within / 2, $"closest pair across clusters {between:0.00}, widest within {within:0.00}");
        Assert.True(Trustworthiness.Compute(data, n, 8, map.X, map.Y, 5) > 0.9);
        Assert.InRange(map.KlDivergence, 0, 2);
    }

    [Fact]
    public void Is_deterministic_with_a_seed_and_pca_start()
    {
        var (data, labels) = Clusters(10, 3, 4, seed: 5);
        var o = new TsneOptions { Perplexity = 5, Iterations = 200 };
        var a = Tsne.Embed(data, labels.Length, 4, o);
        var b = Tsne.Embed(data, labels.Length, 4, o);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
        var r1 = Tsne.Embed(data, labels.Length, 4, o with { Initialisation = TsneInitialisation.Random, Seed = 7 });
        var r2 = Tsne.Embed(data, labels.Length, 4, o with { Initialisation = TsneInitialisation.Random, Seed = 7 });
        var r3 = Tsne.Embed(data, labels.Length, 4, o with { Initialisation = TsneInitialisation.Random, Seed = 8 });
        Assert.Equal(r1.X, r2.X);
        Assert.NotEqual(r1.X, r3.X);
    }

    [Fact]
    public void Small_inputs_lower_the_perplexity_and_bad_options_are_refused()
    {
        var data = new float[] { 0, 0, 1, 0, 0, 1, 5, 5 };
        var map = Tsne.Embed(data, 4, 2, new TsneOptions { Iterations = 50 });
        Assert.Equal(1, map.Perplexity);
        Assert.All(map.X.Concat(map.Y), v => Assert.True(double.IsFinite(v)));
        Assert.Single(Tsne.Embed(new float[] { 1, 2 }, 1, 2, new TsneOptions()).X);
        Assert.Throws<ArgumentException>(() => new TsneOptions { Perplexity = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => Tsne.Embed(data, 3, 2, new TsneOptions()));
    }

    [Fact]
    public void Trustworthiness_is_one_for_an_exact_copy_and_lower_for_a_shuffled_map()
    {
        var rng = new Random(1);
        int n = 30;
        var data = Enumerable.Range(0, n * 2).Select(_ => (float)rng.NextDouble()).ToArray();
        var x = Enumerable.Range(0, n).Select(i => (double)data[2 * i]).ToArray();
        var y = Enumerable.Range(0, n).Select(i => (double)data[2 * i + 1]).ToArray();
        Assert.Equal(1, Trustworthiness.Compute(data, n, 2, x, y, 5), 12);
        var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var shuffledX = order.Select(i => x[i]).ToArray();
        var shuffledY = order.Select(i => y[i]).ToArray();
        double full = Trustworthiness.Compute(data, n, 2, shuffledX, shuffledY, 5);
        Assert.InRange(full, 0.2, 0.8);
        // every other point as a query: an estimate of the same figure
        Assert.InRange(Trustworthiness.Compute(data, n, 2, shuffledX, shuffledY, 5, maxQueries: 15), full - 0.15, full + 0.15);
        Assert.Equal(1, Trustworthiness.Compute(data, n, 2, x, y, 5, maxQueries: 15), 12);
    }
}
