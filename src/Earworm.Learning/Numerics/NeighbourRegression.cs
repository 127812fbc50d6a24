namespace Earworm.Learning.Numerics;

/// <summary>
/// k-nearest-neighbour regression by cosine: a row's prediction is the mean target of the k training rows most like it
/// (Altman 1992), k chosen by k-fold cross-validation (mean squared error) over a grid. No fitted map at all: on an
/// embedding whose neighbourhoods carry the meaning, the neighbours' targets are the prediction.
/// </summary>
public sealed class NeighbourRegression : IVectorRegression
{
    private readonly double[][] _rows;
    private readonly float[][] _targets;

    private NeighbourRegression(double[][] rows, float[][] targets, int k)
    {
        _rows = rows;
        _targets = targets;
        K = k;
    }

    public int Inputs => _rows[0].Length;

    public int Outputs => _targets[0].Length;

    /// <summary>The neighbours averaged.</summary>
    public int K { get; }

    /// <summary>The neighbour counts cross-validation tries when none is given.</summary>
    public static IReadOnlyList<int> KGrid { get; } = [3, 5, 10, 20, 40];

    public static NeighbourRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, int? k = null, int folds = 5, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} feature rows, {y.Count} target rows");
        if (x.Count < 2) throw new ArgumentException("neighbour regression needs at least two samples", nameof(x));
        if (k is int fixedK && fixedK < 1) throw new ArgumentOutOfRangeException(nameof(k), fixedK, "must be ≥ 1");
        int d = x[0].Length, o = y[0].Length;
        var rows = x.Select(r => r.Length == d ? Unit(r) : throw new ArgumentException($"feature rows of {r.Length} and {d} values")).ToArray();
        var targets = y.Select(t => t.Length == o ? t : throw new ArgumentException($"target rows of {t.Length} and {o} values")).ToArray();
        int chosen = k ?? 1;
        if (k is null)
        {
            var order = Enumerable.Range(0, rows.Length).ToArray();
            new Random(seed).Shuffle(order);
            int f = Math.Min(folds, rows.Length);
            double best = double.PositiveInfinity;
            foreach (int candidate in KGrid)
            {
                double error = 0;
                for (int fold = 0; fold < f; fold++)
                {
                    var train = order.Where((_, i) => i % f != fold).ToArray();
                    foreach (int t in order.Where((_, i) => i % f == fold))
                    {
                        var p = Average(rows[t], train.Select(i => rows[i]).ToArray(), train.Select(i => targets[i]).ToArray(), Math.Min(candidate, train.Length));
                        for (int c = 0; c < o; c++) error += (p[c] - targets[t][c]) * (double)(p[c] - targets[t][c]);
                    }
                }
                if (error < best)
                {
                    best = error;
                    chosen = candidate;
                }
            }
        }
        return new NeighbourRegression(rows, targets, Math.Min(chosen, rows.Length));
    }

    public string Describe() => $"{K} nearest neighbours";

    public float[] Predict(ReadOnlySpan<double> features)
    {
        if (features.Length != Inputs) throw new ArgumentException($"{features.Length} features, the model takes {Inputs}");
        return Average(Unit(features), _rows, _targets, K);
    }

    private static float[] Average(double[] query, double[][] rows, float[][] targets, int k)
    {
        var similarity = rows.Select(r => { double s = 0; for (int j = 0; j < r.Length; j++) s += r[j] * query[j]; return s; }).ToArray();
        var nearest = Enumerable.Range(0, rows.Length).OrderByDescending(i => similarity[i]).ThenBy(i => i).Take(k);
        var sum = new float[targets[0].Length];
        foreach (int i in nearest)
            for (int c = 0; c < sum.Length; c++) sum[c] += targets[i][c] / k;
        return sum;
    }

    private static double[] Unit(ReadOnlySpan<double> v)
    {
        var u = v.ToArray();
        VectorNorm.Normalise(u);
        return u;
    }
}
