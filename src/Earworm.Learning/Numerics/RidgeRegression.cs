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
    public static RidgeRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, double? lambda = null, int folds = 5, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} feature rows, {y.Count} target rows");
        if (x.Count < 2) throw new ArgumentException("ridge regression needs at least two samples", nameof(x));
        if (lambda is double l && !(l >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), l, "must be ≥ 0");
        if (lambda is null)
        {
            int f = Math.Min(folds, x.Count);
            var order = Enumerable.Range(0, x.Count).ToArray();
            new Random(seed).Shuffle(order);
            double best = double.PositiveInfinity;
            double chosen = 1;
            foreach (double candidate in LambdaGrid)
            {
                double error = 0;
                for (int fold = 0; fold < f; fold++)
                {
                    var test = order.Where((_, i) => i % f == fold).ToArray();
                    var train = order.Where((_, i) => i % f != fold).ToArray();
                    if (train.Length < 2) continue;
                    var model = FitWith(train.Select(i => x[i]).ToList(), train.Select(i => y[i]).ToList(), candidate);
                    foreach (int i in test)
                    {
                        var p = model.Predict(x[i]);
                        for (int o = 0; o < p.Length; o++) error += (p[o] - y[i][o]) * (double)(p[o] - y[i][o]);
                    }
                }
                if (error < best)
                {
                    best = error;
                    chosen = candidate;
                }
            }
            lambda = chosen;
        }
        return FitWith(x, y, lambda.Value);
    }

    private static RidgeRegression FitWith(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, double lambda)
    {
        int n = x.Count, d = x[0].Length, o = y[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        foreach (var row in x)
        {
            if (row.Length != d) throw new ArgumentException($"feature rows of {row.Length} and {d} values");
            for (int j = 0; j < d; j++) mean[j] += row[j] / n;
        }
        foreach (var row in x)
            for (int j = 0; j < d; j++) scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
        for (int j = 0; j < d; j++) scale[j] = scale[j] > 1e-24 ? 1 / Math.Sqrt(scale[j]) : 0; // a constant feature carries nothing
        var bias = new double[o];
        foreach (var row in y)
        {
            if (row.Length != o) throw new ArgumentException($"target rows of {row.Length} and {o} values");
            for (int k = 0; k < o; k++) bias[k] += row[k] / (double)n;
        }
        if (d > n) return FitDual(x, y, lambda, mean, scale, bias);
        var gram = new double[d * d];
        var rhs = new double[d * o];
        var z = new double[d];
        for (int s = 0; s < n; s++)
        {
            for (int j = 0; j < d; j++) z[j] = (x[s][j] - mean[j]) * scale[j];
            for (int a = 0; a < d; a++)
            {
                for (int b = 0; b < d; b++) gram[a * d + b] += z[a] * z[b];
                for (int k = 0; k < o; k++) rhs[a * o + k] += z[a] * (y[s][k] - bias[k]);
            }
        }
        double ridge = Math.Max(lambda, 1e-9);
        for (int a = 0; a < d; a++) gram[a * d + a] += ridge;
        if (!Cholesky.TryFactor(gram, d)) throw new InvalidOperationException("ridge regression: the regularised Gram matrix is not positive definite");
        var weights = new double[d * o];
        var column = new double[d];
        for (int k = 0; k < o; k++)
        {
            for (int a = 0; a < d; a++) column[a] = rhs[a * o + k];
            Cholesky.Solve(gram, d, column);
            for (int a = 0; a < d; a++) weights[a * o + k] = column[a];
        }
        return new RidgeRegression(mean, scale, weights, bias, d, o, lambda);
    }

    /// <summary>More features than samples (an audio embedding of hundreds of dimensions, a few hundred tracks): the
    /// same solution from the samples' side, W = Zᵀ(ZZᵀ + λI)⁻¹Y, an n × n solve instead of d × d.</summary>
    private static RidgeRegression FitDual(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, double lambda, double[] mean, double[] scale, double[] bias)
    {
        int n = x.Count, d = x[0].Length, o = y[0].Length;
        var z = new double[n][];
        for (int s = 0; s < n; s++)
        {
            if (x[s].Length != d) throw new ArgumentException($"feature rows of {x[s].Length} and {d} values");
            z[s] = new double[d];
            for (int j = 0; j < d; j++) z[s][j] = (x[s][j] - mean[j]) * scale[j];
        }
        var kernel = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b <= a; b++)
            {
                double v = 0;
                for (int j = 0; j < d; j++) v += z[a][j] * z[b][j];
                kernel[a * n + b] = kernel[b * n + a] = v;
            }
        for (int a = 0; a < n; a++) kernel[a * n + a] += Math.Max(lambda, 1e-9);
        if (!Cholesky.TryFactor(kernel, n)) throw new InvalidOperationException("ridge regression: the regularised kernel matrix is not positive definite");
        var weights = new double[d * o];
        var column = new double[n];
        for (int k = 0; k < o; k++)
        {
            for (int s = 0; s < n; s++)
            {
                if (y[s].Length != o) throw new ArgumentException($"target rows of {y[s].Length} and {o} values");
                column[s] = y[s][k] - bias[k];
            }
            Cholesky.Solve(kernel, n, column);
            for (int s = 0; s < n; s++)
                for (int j = 0; j < d; j++) weights[j * o + k] += z[s][j] * column[s];
        }
        return new RidgeRegression(mean, scale, weights, bias, d, o, lambda);
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
