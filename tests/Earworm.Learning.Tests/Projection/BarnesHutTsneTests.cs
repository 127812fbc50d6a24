using Earworm.Learning.Projection;

namespace Earworm.Learning.Tests.Projection;

public sealed class BarnesHutTsneTests
{
    private static float[] Random(int n, int dims, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * dims).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Fact]
    public void With_every_point_a_neighbour_the_sparse_affinities_are_the_exact_ones()
    {
        int n = 20, d = 4;
        var data = Random(n, d, 1);
        var dense = Tsne.JointProbabilities(Tsne.SquaredDistances(data, n, d), n, 7); // 3 × 7 ≥ n − 1: every point a neighbour
        var sparse = BarnesHutTsne.Affinities(data, n, d, 7);
        Assert.Equal(n * (n - 1), sparse.Values.Length);
        for (int i = 0; i < n; i++)
            for (int e = sparse.RowStart[i]; e < sparse.RowStart[i + 1]; e++)
                Assert.Equal(dense[i * n + sparse.Columns[e]], sparse.Values[e], 10);
        Assert.Equal(1, sparse.Values.Sum(), 9);
    }

    [Fact]
    public void Theta_zero_gives_the_exact_gradient_and_theta_half_comes_close()
    {
        int n = 60, d = 3;
        var data = Random(n, d, 2);
        var sparse = BarnesHutTsne.Affinities(data, n, d, 25); // 75 ≥ n − 1: P is the exact P
        var p = Tsne.JointProbabilities(Tsne.SquaredDistances(data, n, d), n, 25);
        var y = Random(n, 2, 3).Select(v => (double)v * 10).ToArray();
        var exact = new double[2 * n];
        double kl = Tsne.Gradient(p, y, n, exact);
        var bh = new double[2 * n];
        double z = BarnesHutTsne.Gradient(sparse, 1, y, n, 0, bh);
        for (int a = 0; a < 2 * n; a++) Assert.Equal(exact[a], bh[a], 9);
        Assert.Equal(kl, BarnesHutTsne.Kl(sparse, y, n, z), 9);
        var approx = new double[2 * n];
        BarnesHutTsne.Gradient(sparse, 1, y, n, 0.5, approx);
        double err = 0, norm = 0;
        for (int a = 0; a < 2 * n; a++) { err += (approx[a] - exact[a]) * (approx[a] - exact[a]); norm += exact[a] * exact[a]; }
        Assert.True(Math.Sqrt(err / norm) < 0.05, $"relative error {Math.Sqrt(err / norm):0.000}");
    }

    [Fact]
    public void Barnes_hut_maps_keep_separated_clusters_apart()
    {
        var rng = new Random(6);
        int per = 40, clusters = 5, d = 10, n = per * clusters;
        var data = new float[n * d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i / per;
            for (int k = 0; k < d; k++) data[i * d + k] = (k == labels[i] ? 10f : 0f) + (float)(rng.NextDouble() - 0.5);
        }
        var options = new TsneOptions { Perplexity = 10, Iterations = 500, ExactUpTo = 0 };
        var map = Tsne.Embed(data, n, d, options);
        int agree = 0;
        for (int i = 0; i < n; i++)
            agree += Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => Math.Pow(map.X[i] - map.X[j], 2) + Math.Pow(map.Y[i] - map.Y[j], 2)).Take(5).Count(j => labels[j] == labels[i]);
        Assert.Equal(5 * n, agree);
        Assert.True(Trustworthiness.Compute(data, n, d, map.X, map.Y, 10) > 0.9);
        Assert.Equal(map.X, Tsne.Embed(data, n, d, options).X);
    }
}
