namespace Earworm.Learning.Numerics;

/// <summary>
/// Multi-output ridge regression Y ≈ X·W + b on z-scored features: W = (XᵀX + λI)⁻¹XᵀY on centred data, the bias
/// unpenalised (the targets' mean). λ is given, or chosen by k-fold cross-validation (mean squared error) over a
/// grid. Small and exact: a Cholesky solve of the features' Gram matrix, or of the samples' kernel matrix when there
/// are more features than samples.
/// </summary>
public sealed class RidgeRegression : IVectorRegression
{
    private readonly double[] _mean, _scale, _weights, _bias;

    private RidgeRegression(double[] mean, double[] scale, double[] weights, double[] bias, int inputs, int outputs, double lambda)
    {
        _mean = mean;
        _scale = scale;
        _weights = weights;
        _bias = bias;
        Inputs = inputs;
        Outputs = outputs;
        Lambda = lambda;
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>The penalty the model was fitted with.</summary>
    public double Lambda { get; }

    /// <summary>The penalties cross-validation tries when none is given.</summary>
    public static IReadOnlyList<double> LambdaGrid { get; } = [1e-3, 1e-2, 0.1, 1, 10, 100, 1000];

    /// <summary>Fits on rows <paramref name="x"/> (features) and <paramref name="y"/> (targets), one row per sample.</summary>
    /// <param name="lambda">the penalty; null: chosen by <paramref name="folds"/>-fold cross-validation over <see cref="LambdaGrid"/>.</param>
    /// <param name="standardise">z-score each feature (the default); false: only centre them, so a feature of small
    /// spread is shrunk more (an embedding whose scale already means something).</param>
    public static RidgeRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, double? lambda = null, int folds = 5, int seed = 1,
        bool standardise = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} feature rows, {y.Count} target rows");
        if (x.Count < 2) throw new ArgumentException("ridge regression needs at least two samples", nameof(x));
        if (lambda is double l && !(l >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), l, "must be ≥ 0");
        if (lambda is null)
        {
            // each fold's standardisation and Gram (or kernel) matrix once, every penalty solved from it
            int f = Math.Min(folds, x.Count);
            var order = Enumerable.Range(0, x.Count).ToArray();
            new Random(seed).Shuffle(order);
            var errors = new double[LambdaGrid.Count];
            for (int fold = 0; fold < f; fold++)
            {
                var test = order.Where((_, i) => i % f == fold).ToArray();
                var train = order.Where((_, i) => i % f != fold).ToArray();
                if (train.Length < 2) continue;
                var problem = Problem.Of(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), standardise);
                for (int c = 0; c < LambdaGrid.Count; c++)
                {
                    var model = problem.Solve(LambdaGrid[c]);
                    foreach (int i in test)
                    {
                        var p = model.Predict(x[i]);
                        for (int o = 0; o < p.Length; o++) errors[c] += (p[o] - y[i][o]) * (double)(p[o] - y[i][o]);
                    }
                }
            }
            int best = 0;
            for (int c = 1; c < errors.Length; c++) if (errors[c] < errors[best]) best = c;
            lambda = LambdaGrid[best];
        }
        return Problem.Of(x, y, standardise).Solve(lambda.Value);
    }

    /// <summary>One least-squares problem on z-scored features, ready to be solved for any penalty: the features' Gram
    /// matrix and XᵀY, or — more features than samples (an audio embedding of hundreds of dimensions, a few hundred
    /// tracks) — the samples' kernel matrix, W = Zᵀ(ZZᵀ + λI)⁻¹Y, an n × n solve instead of d × d.</summary>
    private sealed class Problem
    {
        private double[] _mean = [], _scale = [], _bias = [];
        private int _n, _d, _o;
        private double[] _matrix = [], _rhs = [];
        private double[][]? _z;

        public static Problem Of(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, bool standardise)
        {
            int n = x.Count, d = x[0].Length, o = y[0].Length;
            var (mean, scale) = Moments(x);
            if (!standardise) Array.Fill(scale, 1.0);
            var p = new Problem { _n = n, _d = d, _o = o, _mean = mean, _scale = scale, _bias = new double[o] };
            foreach (var row in y)
            {
                if (row.Length != o) throw new ArgumentException($"target rows of {row.Length} and {o} values");
                for (int k = 0; k < o; k++) p._bias[k] += row[k] / (double)n;
            }
            var z = new double[n][];
            for (int s = 0; s < n; s++)
            {
                z[s] = new double[d];
                for (int j = 0; j < d; j++) z[s][j] = (x[s][j] - p._mean[j]) * p._scale[j];
            }
            if (d > n)
            {
                p._z = z;
                p._matrix = new double[n * n];
                for (int a = 0; a < n; a++)
                    for (int b = 0; b <= a; b++)
                    {
                        double v = 0;
                        for (int j = 0; j < d; j++) v += z[a][j] * z[b][j];
                        p._matrix[a * n + b] = p._matrix[b * n + a] = v;
                    }
                p._rhs = new double[n * o];
                for (int s = 0; s < n; s++)
                    for (int k = 0; k < o; k++) p._rhs[s * o + k] = y[s][k] - p._bias[k];
                return p;
            }
            p._matrix = new double[d * d];
            p._rhs = new double[d * o];
            for (int s = 0; s < n; s++)
            {
                var zs = z[s];
                for (int a = 0; a < d; a++)
                {
                    double za = zs[a];
                    for (int b = 0; b <= a; b++) p._matrix[a * d + b] += za * zs[b];
                    for (int k = 0; k < o; k++) p._rhs[a * o + k] += za * (y[s][k] - p._bias[k]);
                }
            }
            for (int a = 0; a < d; a++)
                for (int b = 0; b < a; b++) p._matrix[b * d + a] = p._matrix[a * d + b];
            return p;
        }

        public RidgeRegression Solve(double lambda)
        {
            int m = _z is null ? _d : _n;
            var factor = (double[])_matrix.Clone();
            for (int a = 0; a < m; a++) factor[a * m + a] += Math.Max(lambda, 1e-9);
            if (!Cholesky.TryFactor(factor, m))
                throw new InvalidOperationException($"ridge regression: the regularised {(_z is null ? "Gram" : "kernel")} matrix is not positive definite");
            var weights = new double[_d * _o];
            var column = new double[m];
            for (int k = 0; k < _o; k++)
            {
                for (int a = 0; a < m; a++) column[a] = _rhs[a * _o + k];
                Cholesky.Solve(factor, m, column);
                if (_z is null)
                    for (int a = 0; a < _d; a++) weights[a * _o + k] = column[a];
                else
                    for (int s = 0; s < _n; s++)
                        for (int j = 0; j < _d; j++) weights[j * _o + k] += _z[s][j] * column[s];
            }
            return new RidgeRegression(_mean, _scale, weights, _bias, _d, _o, lambda);
        }
    }

    /// <summary>Each feature's mean and 1 / standard deviation over <paramref name="rows"/> (z = (x − mean)·scale); a
    /// constant feature gets scale 0: it carries nothing.</summary>
    internal static (double[] Mean, double[] Scale) Moments(IReadOnlyList<double[]> rows)
    {
        int n = rows.Count, d = rows[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        foreach (var row in rows)
        {
            if (row.Length != d) throw new ArgumentException($"feature rows of {row.Length} and {d} values");
            for (int j = 0; j < d; j++) mean[j] += row[j] / n;
        }
        foreach (var row in rows)
            for (int j = 0; j < d; j++) scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
        for (int j = 0; j < d; j++) scale[j] = scale[j] > 1e-24 ? 1 / Math.Sqrt(scale[j]) : 0;
        return (mean, scale);
    }

    public string Describe() => VectorRegression.Format($"ridge, λ {Lambda:G3}");

    /// <summary>The prediction for one feature row.</summary>
    public float[] Predict(ReadOnlySpan<double> features)
    {
        if (features.Length != Inputs) throw new ArgumentException($"{features.Length} features, the model takes {Inputs}");
        var result = new float[Outputs];
        for (int k = 0; k < Outputs; k++)
        {
            double v = _bias[k];
            for (int a = 0; a < Inputs; a++) v += (features[a] - _mean[a]) * _scale[a] * _weights[a * Outputs + k];
            result[k] = (float)v;
        }
        return result;
    }
}
