namespace Earworm.Learning.Numerics;

/// <summary>The leading singular triplets of a matrix A (n × m): A ≈ U·diag(S)·Vᵀ. <see cref="RowVectors"/> is U·diag(S)
/// (n × k, row-major: each row of A in the k dimensions, = A·V), <see cref="ColumnVectors"/> V (m × k, row-major).</summary>
public sealed record SvdResult(int Rank, double[] SingularValues, double[] RowVectors, double[] ColumnVectors)
{
    public ReadOnlySpan<double> Row(int i) => RowVectors.AsSpan(i * Rank, Rank);

    public ReadOnlySpan<double> Column(int j) => ColumnVectors.AsSpan(j * Rank, Rank);
}

/// <summary>
/// Truncated SVD of a sparse matrix by randomised range finding (Halko, Martinsson &amp; Tropp 2011, "Finding structure
/// with randomness", algorithms 4.4 and 5.1): Y = (A·Aᵀ)^q·A·Ω for a Gaussian Ω of k + p columns, Q an orthonormal basis of
/// Y (re-orthonormalised after every product), then the small B = Qᵀ·A is decomposed exactly through B·Bᵀ with Jacobi's
/// eigenvalue method. What LSA needs (Deerwester et al. 1990) for thousands of documents and terms without a dense
/// decomposition. Deterministic for a seed; each column of V has its largest loading positive.
/// </summary>
public static class TruncatedSvd
{
    /// <summary>The leading <paramref name="rank"/> triplets (fewer when the matrix is smaller; a triplet whose singular
    /// value is rounding noise is dropped, so <see cref="SvdResult.Rank"/> may be below what was asked).</summary>
    public static SvdResult Compute(SparseRows a, int rank, int seed = 1, int oversample = 10, int powerIterations = 3)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(oversample);
        ArgumentOutOfRangeException.ThrowIfNegative(powerIterations);
        int n = a.RowCount, m = a.ColumnCount;
        int l = Math.Min(rank + oversample, Math.Min(n, m));
        if (l == 0 || a.NonZeros == 0) return new SvdResult(0, [], [], []);
        var rng = new Random(seed);
        // Ω: m × l, Gaussian by Box–Muller; Y = A·Ω as l columns of length n
        var omega = new double[l][];
        for (int c = 0; c < l; c++)
        {
            omega[c] = new double[m];
            for (int j = 0; j < m; j++) omega[c][j] = Gaussian(rng);
        }
        var y = Times(a, omega, n);
        Orthonormalise(y);
        for (int q = 0; q < powerIterations; q++)
        {
            var z = TransposeTimes(a, y, m);
            Orthonormalise(z);
            y = Times(a, z, n);
            Orthonormalise(y);
        }
        // B = Qᵀ·A as l rows of length m; B·Bᵀ (l × l) holds the squared singular values
        var b = TransposeTimes(a, y, m);
        var bbt = new double[l * l];
        for (int r = 0; r < l; r++)
            for (int t = r; t < l; t++)
            {
                double d = Dot(b[r], b[t]);
                bbt[r * l + t] = d;
                bbt[t * l + r] = d;
            }
        var (values, vectors) = JacobiEigen.Decompose(bbt, l);
        double top = values.Length > 0 ? Math.Max(values[0], 0) : 0;
        int k = 0;
        while (k < Math.Min(rank, l) && values[k] > 1e-12 * top && values[k] > 0) k++;
        var s = new double[k];
        var rows = new double[n * k];
        var cols = new double[m * k];
        for (int c = 0; c < k; c++)
        {
            s[c] = Math.Sqrt(values[c]);
            // V column c = Bᵀ·w_c / s_c; U column c = Q·w_c, so U·S column c = Q·w_c·s_c
            var v = new double[m];
            for (int r = 0; r < l; r++)
            {
                double w = vectors[r * l + c];
                if (w == 0) continue;
                var br = b[r];
                for (int j = 0; j < m; j++) v[j] += br[j] * w;
            }
            int big = 0;
            for (int j = 1; j < m; j++) if (Math.Abs(v[j]) > Math.Abs(v[big])) big = j;
            double sign = v[big] < 0 ? -1 : 1;
            for (int j = 0; j < m; j++) cols[j * k + c] = sign * v[j] / s[c];
            for (int i = 0; i < n; i++)
            {
                double u = 0;
                for (int r = 0; r < l; r++) u += y[r][i] * vectors[r * l + c];
                rows[i * k + c] = sign * u * s[c];
            }
        }
        return new SvdResult(k, s, rows, cols);
    }

    /// <summary>A·X for X given as columns of length m: the columns of the product, each of length n.</summary>
    private static double[][] Times(SparseRows a, double[][] x, int n)
    {
        var result = new double[x.Length][];
        for (int c = 0; c < x.Length; c++) result[c] = new double[n];
        for (int i = 0; i < n; i++)
        {
            var cols = a.ColumnsOf(i);
            var vals = a.ValuesOf(i);
            for (int c = 0; c < x.Length; c++)
            {
                var xc = x[c];
                double sum = 0;
                for (int t = 0; t < cols.Length; t++) sum += vals[t] * xc[cols[t]];
                result[c][i] = sum;
            }
        }
        return result;
    }

    /// <summary>Aᵀ·X for X given as columns of length n: the columns of the product, each of length m.</summary>
    private static double[][] TransposeTimes(SparseRows a, double[][] x, int m)
    {
        var result = new double[x.Length][];
        for (int c = 0; c < x.Length; c++) result[c] = new double[m];
        for (int i = 0; i < a.RowCount; i++)
        {
            var cols = a.ColumnsOf(i);
            var vals = a.ValuesOf(i);
            for (int c = 0; c < x.Length; c++)
            {
                double xi = x[c][i];
                if (xi == 0) continue;
                var rc = result[c];
                for (int t = 0; t < cols.Length; t++) rc[cols[t]] += vals[t] * xi;
            }
        }
        return result;
    }

    /// <summary>Modified Gram–Schmidt, twice ("twice is enough": Giraud et al. 2005). A column that loses all but 10⁻¹⁰
    /// of its length to the ones before it lies in their span (the matrix has lower rank than the basis is wide): it
    /// becomes zero, since what is left is rounding noise that normalising would blow up into a direction far from
    /// orthogonal.</summary>
    private static void Orthonormalise(double[][] columns)
    {
        for (int pass = 0; pass < 2; pass++)
            for (int c = 0; c < columns.Length; c++)
            {
                var v = columns[c];
                double before = Math.Sqrt(Dot(v, v));
                for (int p = 0; p < c; p++)
                {
                    double d = Dot(v, columns[p]);
                    var u = columns[p];
                    for (int i = 0; i < v.Length; i++) v[i] -= d * u[i];
                }
                double norm = Math.Sqrt(Dot(v, v));
                if (norm <= 1e-10 * before || norm < 1e-300) Array.Clear(v);
                else for (int i = 0; i < v.Length; i++) v[i] /= norm;
            }
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
