namespace Earworm.Learning.Numerics;

/// <summary>
/// Multi-output kernel ridge regression with a Gaussian kernel on unit-normalised inputs: y(x) = b + Σᵢ αᵢ·k(x, xᵢ),
/// k(a, b) = exp(−γ‖â − b̂‖²) = exp(−2γ(1 − cos(a, b))), α = (K + λI)⁻¹(Y − b), the bias the targets' mean
/// (Schölkopf &amp; Smola 2002, ch. 4; Saunders, Gammerman &amp; Vovk 1998). On an embedding whose neighbourhoods
/// carry the meaning (a contrastive space: its cosine is what it was trained on) a local kernel follows the clusters a
/// linear map cannot. γ is a multiple of 1 / the median squared distance between training inputs; the multiple and λ
/// are chosen together by k-fold cross-validation (mean squared error) over a grid. The solve is n × n, so training
/// inputs beyond <see cref="MaxTrainingRows"/> are a seeded random subset, and cross-validation runs on the first
/// <see cref="MaxValidationRows"/> of them (the bandwidth is relative to the data's own spread, so its choice carries
/// over; a larger set would favour a somewhat smaller λ).
/// </summary>
public sealed class KernelRidgeRegression : IVectorRegression
{
    private readonly double[][] _anchors;
    private readonly double[] _alpha, _bias;
    private readonly double[]? _mean, _scale;

    private KernelRidgeRegression(double[][] anchors, double[] alpha, double[] bias, double[]? mean, double[]? scale, double gamma, double lambda, double bandwidthScale)
    {
        _anchors = anchors;
        _mean = mean;
        _scale = scale;
        _alpha = alpha;
        _bias = bias;
        Gamma = gamma;
        Lambda = lambda;
        BandwidthScale = bandwidthScale;
    }

    public int Inputs => _anchors[0].Length;

    public int Outputs => _bias.Length;

    /// <summary>The training rows the model keeps (its support).</summary>
    public int Anchors => _anchors.Length;

    /// <summary>The kernel's γ (per unit of squared distance between unit-normalised inputs).</summary>
    public double Gamma { get; }

    /// <summary>γ as a multiple of 1 / the median squared distance between training inputs.</summary>
    public double BandwidthScale { get; }

    /// <summary>The penalty the model was fitted with.</summary>
    public double Lambda { get; }

    /// <summary>The most training rows the model keeps (an n × n solve: 1 500 rows are 18 MB and about a second).</summary>
    public const int MaxTrainingRows = 1500;

    /// <summary>The most rows cross-validation uses (grid × folds solves of 4/5 of them).</summary>
    public const int MaxValidationRows = 400;

    /// <summary>The penalties cross-validation tries when none is given.</summary>
    public static IReadOnlyList<double> LambdaGrid { get; } = [1e-3, 1e-2, 0.1, 1, 10];

    /// <summary>The multiples of 1 / median squared distance cross-validation tries for γ when none is given.</summary>
    public static IReadOnlyList<double> BandwidthGrid { get; } = [0.5, 1, 2, 4, 8];

    /// <summary>Fits on rows <paramref name="x"/> (features) and <paramref name="y"/> (targets), one row per sample.</summary>
    /// <param name="lambda">the penalty; null: chosen by cross-validation over <see cref="LambdaGrid"/>.</param>
    /// <param name="bandwidthScale">γ × median squared distance; null: chosen by cross-validation over <see cref="BandwidthGrid"/>.</param>
    /// <param name="standardise">z-score each feature (training mean and deviation) before normalising: for features of
    /// unlike scales (descriptors); an embedding compared by cosine is used as it is.</param>
    public static KernelRidgeRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, double? lambda = null, double? bandwidthScale = null,
        bool standardise = false, int folds = 5, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} feature rows, {y.Count} target rows");
        if (x.Count < 2) throw new ArgumentException("kernel ridge regression needs at least two samples", nameof(x));
        if (lambda is double l && !(l > 0)) throw new ArgumentOutOfRangeException(nameof(lambda), l, "must be > 0");
        if (bandwidthScale is double s && !(s > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidthScale), s, "must be > 0");
        int d = x[0].Length, o = y[0].Length;
        var order = Enumerable.Range(0, x.Count).ToArray();
        new Random(seed).Shuffle(order);
        if (order.Length > MaxTrainingRows) order = order[..MaxTrainingRows];
        var (mean, scale) = standardise ? RidgeRegression.Moments([.. order.Select(i => x[i])]) : (null, null);
        var units = order.Select(i => Unit(x[i], d, mean, scale)).ToArray();
        var targets = order.Select(i => y[i].Length == o ? y[i] : throw new ArgumentException($"target rows of {y[i].Length} and {o} values")).ToArray();
        int n = units.Length;
        var sq = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < a; b++)
                sq[a * n + b] = sq[b * n + a] = SquaredDistance(units[a], units[b]);
        double median = MedianOffDiagonal(sq, n);
        if (!(median > 0)) median = 1; // all inputs alike: any bandwidth gives the same constant kernel

        var lambdas = lambda is double fixedL ? [fixedL] : LambdaGrid;
        var scales = bandwidthScale is double fixedS ? [fixedS] : BandwidthGrid;
        double chosenL = lambdas[0], chosenS = scales[0];
        if (lambdas.Count * scales.Count > 1)
        {
            int cv = Math.Min(n, MaxValidationRows);
            int f = Math.Min(folds, cv);
            double best = double.PositiveInfinity;
            foreach (double sc in scales)
                foreach (double lam in lambdas)
                {
                    double error = 0;
                    for (int fold = 0; fold < f; fold++)
                    {
                        var train = Enumerable.Range(0, cv).Where(i => i % f != fold).ToArray();
                        var test = Enumerable.Range(0, cv).Where(i => i % f == fold).ToArray();
                        if (train.Length < 2) continue;
                        var (alpha, bias) = Solve(sq, n, train, targets, sc / median, lam);
                        foreach (int t in test)
                            for (int k = 0; k < o; k++)
                            {
                                double p = bias[k];
                                for (int j = 0; j < train.Length; j++) p += alpha[j * o + k] * Math.Exp(-sc / median * sq[t * n + train[j]]);
                                error += (p - targets[t][k]) * (p - targets[t][k]);
                            }
                    }
                    if (error < best)
                    {
                        best = error;
                        chosenL = lam;
                        chosenS = sc;
                    }
                }
        }
        var (a1, b1) = Solve(sq, n, Enumerable.Range(0, n).ToArray(), targets, chosenS / median, chosenL);
        return new KernelRidgeRegression(units, a1, b1, mean, scale, chosenS / median, chosenL, chosenS);
    }

    private static (double[] Alpha, double[] Bias) Solve(double[] sq, int n, int[] rows, float[][] targets, double gamma, double lambda)
    {
        int m = rows.Length, o = targets[0].Length;
        var bias = new double[o];
        foreach (int r in rows)
            for (int k = 0; k < o; k++) bias[k] += targets[r][k] / (double)m;
        var kernel = new double[m * m];
        for (int a = 0; a < m; a++)
        {
            for (int b = 0; b < a; b++) kernel[a * m + b] = kernel[b * m + a] = Math.Exp(-gamma * sq[rows[a] * n + rows[b]]);
            kernel[a * m + a] = 1 + lambda;
        }
        if (!Cholesky.TryFactor(kernel, m)) throw new InvalidOperationException("kernel ridge regression: the regularised kernel matrix is not positive definite");
        var alpha = new double[m * o];
        var column = new double[m];
        for (int k = 0; k < o; k++)
        {
            for (int s = 0; s < m; s++) column[s] = targets[rows[s]][k] - bias[k];
            Cholesky.Solve(kernel, m, column);
            for (int s = 0; s < m; s++) alpha[s * o + k] = column[s];
        }
        return (alpha, bias);
    }

    public string Describe() => VectorRegression.Format($"kernel ridge, Gaussian kernel γ {BandwidthScale:G3}/median squared distance, λ {Lambda:G3}{(_mean is null ? "" : ", z-scored")}");

    /// <summary>The prediction for one feature row.</summary>
    public float[] Predict(ReadOnlySpan<double> features)
    {
        if (features.Length != Inputs) throw new ArgumentException($"{features.Length} features, the model takes {Inputs}");
        var u = Unit(features, Inputs, _mean, _scale);
        int o = Outputs;
        var sum = (double[])_bias.Clone();
        for (int s = 0; s < _anchors.Length; s++)
        {
            double w = Math.Exp(-Gamma * SquaredDistance(u, _anchors[s]));
            for (int k = 0; k < o; k++) sum[k] += w * _alpha[s * o + k];
        }
        return [.. sum.Select(v => (float)v)];
    }

    private static double[] Unit(ReadOnlySpan<double> v, int dims, double[]? mean, double[]? scale)
    {
        if (v.Length != dims) throw new ArgumentException($"feature rows of {v.Length} and {dims} values");
        var u = new double[dims];
        for (int j = 0; j < dims; j++) u[j] = mean is null || scale is null ? v[j] : (v[j] - mean[j]) * scale[j];
        VectorNorm.Normalise(u);
        return u;
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }

    private static double MedianOffDiagonal(double[] sq, int n)
    {
        if (n < 2) return 0;
        var values = new double[n * (n - 1) / 2];
        int c = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < a; b++) values[c++] = sq[a * n + b];
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
