namespace Earworm.Learning.Projection;

/// <summary>A t-SNE map: 2-D coordinates per input row, the final Kullback–Leibler divergence and the perplexity used.</summary>
public sealed record TsneResult(double[] X, double[] Y, double KlDivergence, double Perplexity, int Iterations);

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton, "Visualizing Data using t-SNE", JMLR 2008): Gaussian affinities
/// calibrated per point to a perplexity (binary search on the precision), symmetrised <c>p_ij = (p_j|i + p_i|j) / 2n</c>;
/// a Student-t (one degree of freedom) kernel in 2-D, <c>q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹</c>; gradient descent on
/// <c>KL(P‖Q)</c> with <c>∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j)</c>. O(n²) time and memory per
/// step: a few seconds for a thousand tracks. Above <see cref="TsneOptions.ExactUpTo"/> points (and with θ &gt; 0) it runs
/// Barnes-Hut t-SNE instead (<see cref="BarnesHutTsne"/>, van der Maaten 2014), O(n log n) per step with a sparse P.
/// Deterministic: PCA initialisation by default, a seed otherwise.
/// </summary>
public static class Tsne
{
    /// <summary>Maps <paramref name="n"/> rows of <paramref name="dims"/> values (row-major) to 2-D (Euclidean distances
    /// in the input; unit-normalise rows first for a cosine space).</summary>
    public static TsneResult Embed(ReadOnlySpan<float> data, int n, int dims, TsneOptions options,
        IProgress<(int Iteration, double Kl)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (n < 0 || dims < 1 || data.Length != (long)n * dims) throw new ArgumentException($"data holds {data.Length} values, expected {n} × {dims}", nameof(data));
        if (n == 0) return new TsneResult([], [], 0, 0, 0);
        if (n == 1) return new TsneResult([0], [0], 0, 0, 0);
        double perplexity = Math.Min(options.Perplexity, Math.Max(1, (n - 1) / 3.0));
        bool exact = options.Theta == 0 || n <= options.ExactUpTo;
        var p = exact ? JointProbabilities(SquaredDistances(data, n, dims), n, perplexity) : [];
        var sparse = exact ? null : BarnesHutTsne.Affinities(data, n, dims, perplexity);
        var y = options.Initialisation == TsneInitialisation.Pca ? PcaStart(data, n, dims, options.Seed) : RandomStart(n, options.Seed);
        double lr = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);
        var grad = new double[2 * n];
        var update = new double[2 * n];
        var gains = new double[2 * n];
        Array.Fill(gains, 1.0);
        double kl = 0;
        for (int a = 0; a < p.Length; a++) p[a] *= options.EarlyExaggeration;
        bool exaggerated = options.EarlyExaggeration != 1;
        double z = 0;
        for (int it = 0; it < options.Iterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (exaggerated && it == options.ExaggerationIterations)
            {
                for (int a = 0; a < p.Length; a++) p[a] /= options.EarlyExaggeration;
                exaggerated = false;
            }
            double momentum = it < options.ExaggerationIterations ? 0.5 : 0.8;
            if (exact) kl = Gradient(p, y, n, grad);
            else z = BarnesHutTsne.Gradient(sparse!, exaggerated ? options.EarlyExaggeration : 1, y, n, options.Theta, grad);
            for (int a = 0; a < 2 * n; a++)
            {
                // delta-bar-delta: grow the gain while the gradient keeps pushing the same way as the last step
                gains[a] = Math.Sign(grad[a]) != Math.Sign(update[a]) ? gains[a] + 0.2 : Math.Max(gains[a] * 0.8, 0.01);
                update[a] = momentum * update[a] - lr * gains[a] * grad[a];
                y[a] += update[a];
            }
            Centre(y, n);
            if (progress is not null && ((it + 1) % 50 == 0 || it + 1 == options.Iterations))
                progress.Report((it + 1, exact ? kl : BarnesHutTsne.Kl(sparse!, y, n, z) * (exaggerated ? options.EarlyExaggeration : 1)));
        }
        if (exaggerated) for (int a = 0; a < p.Length; a++) p[a] /= options.EarlyExaggeration;
        if (exact) kl = Gradient(p, y, n, grad);
        else kl = BarnesHutTsne.Kl(sparse!, y, n, BarnesHutTsne.Gradient(sparse!, 1, y, n, options.Theta, grad));
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0; i < n; i++) { xs[i] = y[2 * i]; ys[i] = y[2 * i + 1]; }
        return new TsneResult(xs, ys, kl, perplexity, options.Iterations);
    }

    /// <summary>Squared Euclidean distances, <c>[shape=(n, n)]</c> row-major.</summary>
    internal static double[] SquaredDistances(ReadOnlySpan<float> data, int n, int dims)
    {
        var d = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            var a = data.Slice(i * dims, dims);
            for (int j = i + 1; j < n; j++)
            {
                var b = data.Slice(j * dims, dims);
                double s = 0;
                for (int k = 0; k < dims; k++) { double t = a[k] - b[k]; s += t * t; }
                d[i * n + j] = d[j * n + i] = s;
            }
        }
        return d;
    }

    /// <summary>The joint affinities <c>P [shape=(n, n)]</c> (zero diagonal, symmetric, summing to 1, floored at
    /// 1e-12): each row's conditional Gaussian has the entropy ln(perplexity) (binary search on its precision β,
    /// 100 steps at most, tolerance 1e-5).</summary>
    internal static double[] JointProbabilities(double[] squaredDistances, int n, double perplexity)
    {
        var conditional = ConditionalProbabilities(squaredDistances, n, perplexity);
        var p = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                p[i * n + j] = i == j ? 0 : Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }

    /// <summary>The conditional affinities <c>p_j|i [shape=(n, n)]</c>, row i a Gaussian around point i whose entropy is
    /// ln(perplexity).</summary>
    internal static double[] ConditionalProbabilities(double[] squaredDistances, int n, double perplexity, int rows = -1)
    {
        var conditional = new double[n * n];
        double target = Math.Log(perplexity);
        var row = new double[n];
        for (int i = 0; i < (rows < 0 ? n : rows); i++)
        {
            double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            // distances relative to the nearest neighbour keep exp() away from underflow for far-apart points
            double nearest = double.PositiveInfinity;
            for (int j = 0; j < n; j++) if (j != i) nearest = Math.Min(nearest, squaredDistances[i * n + j]);
            for (int step = 0; step < 100; step++)
            {
                double sum = 0, weighted = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) { row[j] = 0; continue; }
                    double dj = squaredDistances[i * n + j] - nearest;
                    row[j] = Math.Exp(-dj * beta);
                    sum += row[j];
                    weighted += dj * row[j];
                }
                double entropy = Math.Log(sum) + beta * weighted / sum;
                for (int j = 0; j < n; j++) row[j] /= sum;
                double diff = entropy - target;
                if (Math.Abs(diff) < 1e-5) break;
                if (diff > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
                else { hi = beta; beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2; }
            }
            Array.Copy(row, 0, conditional, i * n, n);
        }
        return conditional;
    }

    /// <summary>Writes <c>∂KL(P‖Q)/∂y</c> into <paramref name="gradient"/> (<c>[shape=(n, 2)]</c>, as <paramref name="y"/>) and
    /// returns <c>KL(P‖Q) = Σ_ij p_ij ln(p_ij / q_ij)</c>.</summary>
    internal static double Gradient(double[] p, double[] y, int n, double[] gradient)
    {
        var w = new double[n * n];
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double k = 1 / (1 + dx * dx + dy * dy);
                w[i * n + j] = w[j * n + i] = k;
                z += 2 * k;
            }
        double kl = 0;
        for (int i = 0; i < n; i++)
        {
            double gx = 0, gy = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double k = w[i * n + j], pij = p[i * n + j], q = Math.Max(k / z, 1e-12);
                double f = (pij - q) * k;
                gx += f * (y[2 * i] - y[2 * j]);
                gy += f * (y[2 * i + 1] - y[2 * j + 1]);
                if (pij > 0) kl += pij * Math.Log(pij / q);
            }
            gradient[2 * i] = 4 * gx;
            gradient[2 * i + 1] = 4 * gy;
        }
        return kl;
    }

    /// <summary>The first two principal components of the rows (<see cref="Pca"/>), scaled so the first has standard
    /// deviation 1e-4; random when every row is alike.</summary>
    internal static double[] PcaStart(ReadOnlySpan<float> data, int n, int dims, int seed)
    {
        var pca = Pca.Fit(data, n, dims, 2);
        double sd = Math.Sqrt(pca.Variances[0]);
        if (sd < 1e-15) return RandomStart(n, seed); // every point alike: nothing for PCA to show
        var y = new double[2 * n];
        for (int a = 0; a < y.Length; a++) y[a] = pca.Scores[a] * 1e-4 / sd;
        return y;
    }

    private static double[] RandomStart(int n, int seed)
    {
        var rng = new Random(seed);
        var y = new double[2 * n];
        for (int a = 0; a < y.Length; a++)
        {
            // Box–Muller
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            y[a] = 1e-4 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return y;
    }

    private static void Centre(double[] y, int n)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n;
        my /= n;
        for (int i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }
}
