namespace Earworm.Learning.Projection;

/// <summary>The leading principal components of some rows: each row's scores (row-major, n × k), the components
/// (unit vectors of the input's dimension) and the variance along each, with the total variance of the input.</summary>
public sealed record PcaResult(double[] Scores, IReadOnlyList<double[]> Components, double[] Variances, double TotalVariance)
{
    public int Count => Components.Count;

    /// <summary>The share of the total variance the components keep (0 for input without variance).</summary>
    public double ExplainedVariance => TotalVariance > 0 ? Variances.Sum() / TotalVariance : 0;

    /// <summary>Row <paramref name="i"/>'s score on component <paramref name="c"/>.</summary>
    public double Score(int i, int c) => Scores[i * Count + c];
}

/// <summary>
/// Principal component analysis for maps (the web app's PCA of a space, t-SNE's initialisation; Pearson 1901): the
/// leading eigenvectors of the covariance matrix (d × d, in double) by power iteration with deflation, enough for the
/// two or three components a picture needs without a full eigendecomposition. Deterministic: a fixed start vector
/// (1 + 0.01·j, orthogonal to no likely component) and a sign convention (each component's largest loading positive).
/// </summary>
public static class Pca
{
    private const int MaxIterations = 1000;

    /// <summary>The first <paramref name="components"/> principal components of <paramref name="n"/> rows of
    /// <paramref name="dims"/> values (row-major), centred on their mean. A direction with no variance left gives a
    /// zero component (scores 0).</summary>
    public static PcaResult Fit(ReadOnlySpan<float> data, int n, int dims, int components = 2)
    {
        if (n < 0 || dims < 1 || data.Length != (long)n * dims) throw new ArgumentException($"data holds {data.Length} values, expected {n} × {dims}", nameof(data));
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        var mean = new double[dims];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < dims; k++) mean[k] += data[i * dims + k];
        for (int k = 0; k < dims; k++) mean[k] /= Math.Max(n, 1);
        var cov = Covariance(data, n, dims, mean);
        double total = 0;
        for (int a = 0; a < dims; a++) total += cov[a * dims + a];
        var vectors = new List<double[]>();
        var variances = new double[components];
        for (int c = 0; c < components; c++)
        {
            var (v, lambda) = Leading(cov, dims, total);
            vectors.Add(v);
            variances[c] = lambda;
            for (int a = 0; a < dims; a++)
                for (int b = 0; b < dims; b++) cov[a * dims + b] -= lambda * v[a] * v[b];
        }
        var scores = new double[n * components];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < components; c++)
            {
                double s = 0;
                for (int k = 0; k < dims; k++) s += (data[i * dims + k] - mean[k]) * vectors[c][k];
                scores[i * components + c] = s;
            }
        int divisor = Math.Max(n, 1);
        return new PcaResult(scores, vectors, [.. variances.Select(v => v / divisor)], total / divisor);
    }

    /// <summary>Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ, not divided by n (the components and the shares do not depend on it).</summary>
    private static double[] Covariance(ReadOnlySpan<float> data, int n, int dims, double[] mean)
    {
        var cov = new double[dims * dims];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < dims; a++)
            {
                double xa = data[i * dims + a] - mean[a];
                if (xa == 0) continue;
                for (int b = a; b < dims; b++) cov[a * dims + b] += xa * (data[i * dims + b] - mean[b]);
            }
        for (int a = 0; a < dims; a++)
            for (int b = 0; b < a; b++) cov[a * dims + b] = cov[b * dims + a];
        return cov;
    }

    /// <summary>The leading eigenvector of the symmetric <paramref name="m"/> and its eigenvalue; a zero vector when
    /// what is left of the matrix is rounding noise beside the original trace.</summary>
    private static (double[] Vector, double Value) Leading(double[] m, int d, double trace)
    {
        var v = new double[d];
        for (int a = 0; a < d; a++) v[a] = 1 + 0.01 * a;
        var w = new double[d];
        double lambda = 0;
        for (int iter = 0; iter < MaxIterations; iter++)
        {
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int b = 0; b < d; b++) s += m[a * d + b] * v[b];
                w[a] = s;
            }
            double norm = Math.Sqrt(w.Sum(t => t * t));
            if (norm <= 1e-12 * trace || norm < 1e-300) return (new double[d], 0);
            double change = 0;
            for (int a = 0; a < d; a++)
            {
                w[a] /= norm;
                change += Math.Abs(w[a] - v[a]);
                (v[a], w[a]) = (w[a], v[a]);
            }
            lambda = norm;
            if (change < 1e-12) break;
        }
        int big = 0;
        for (int a = 1; a < d; a++) if (Math.Abs(v[a]) > Math.Abs(v[big])) big = a;
        if (v[big] < 0) for (int a = 0; a < d; a++) v[a] = -v[a];
        return (v, lambda);
    }
}
