namespace Earworm.Learning.Projection;

/// <summary>
/// How well a low-dimensional map keeps neighbourhoods (Venna &amp; Kaski 2001): trustworthiness
/// <c>T(k) = 1 − 2 / (n k (2n − 3k − 1)) Σ_i Σ_{j ∈ U_i} (r(i, j) − k)</c>, where <c>U_i</c> holds the map's k nearest
/// neighbours of i that are not among its k nearest in the input and <c>r(i, j)</c> is j's rank among i's neighbours
/// in the input. 1 when every map neighbour is a true neighbour; about 0.5 for a random map.
/// </summary>
public static class Trustworthiness
{
    /// <summary><paramref name="high"/>: n rows of <paramref name="dims"/> values; <paramref name="x"/>, <paramref name="y"/>: the map.</summary>
    /// <param name="maxQueries">At most this many points (every ⌈n / maxQueries⌉-th) contribute their penalty, scaled
    /// up to n: an estimate that keeps large maps (O(n² log n) in all) affordable. Default: every point.</param>
    public static double Compute(ReadOnlySpan<float> high, int n, int dims, IReadOnlyList<double> x, IReadOnlyList<double> y, int k,
        int maxQueries = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueries);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != n || y.Count != n) throw new ArgumentException("the map must hold one point per row");
        if (k < 1 || 2 * n - 3 * k - 1 <= 0) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} is too large for {n} points");
        double penalty = 0;
        var order = new int[n];
        var rank = new int[n];
        var d = new double[n];
        int stride = (int)Math.Ceiling(n / (double)Math.Min(n, maxQueries)), queries = 0;
        for (int i = 0; i < n; i += stride)
        {
            queries++;
            var a = high.Slice(i * dims, dims);
            for (int j = 0; j < n; j++)
            {
                var b = high.Slice(j * dims, dims);
                double s = 0;
                for (int c = 0; c < dims; c++) { double t = a[c] - b[c]; s += t * t; }
                d[j] = s;
            }
            for (int j = 0; j < n; j++) order[j] = j;
            int row = i;
            Array.Sort(order, (a, b) => a == row ? (b == row ? 0 : -1) : b == row ? 1 : d[a].CompareTo(d[b]) is var c and not 0 ? c : a.CompareTo(b));
            for (int r = 0; r < n; r++) rank[order[r]] = r; // the point itself has rank 0
            var low = Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => (x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])).ThenBy(j => j).Take(k);
            foreach (var j in low)
                if (rank[j] > k) penalty += rank[j] - k;
        }
        penalty *= n / (double)queries;
        return 1 - 2.0 / (n * k * (2.0 * n - 3 * k - 1)) * penalty;
    }
}
