namespace Earworm.Audio.Descriptors;

/// <summary>What <see cref="DanceabilityDfa"/> measured.</summary>
/// <param name="Raw">Essentia's scale: the reciprocal of the mean DFA exponent, typically 0..3
/// (higher is more danceable); 0 when the signal is too short or constant.</param>
/// <param name="Danceability">Raw / 3 clamped to [0, 1].</param>
/// <param name="Exponents">The local DFA exponents α between consecutive window sizes.</param>
public sealed record DanceabilityResult(double Raw, double Danceability, IReadOnlyList<double> Exponents);

/// <summary>
/// Danceability by detrended fluctuation analysis (Streich &amp; Herrera 2005, "Detrended fluctuation
/// analysis of music signals: danceability estimation and further semantic characterization",
/// AES 118th Convention), computed as Essentia's <c>Danceability</c> does.
/// </summary>
/// <remarks>
/// The signal is cut into 10 ms frames (int(0.01·fs) samples) and each frame's sample standard
/// deviation s_i kept (the only state: 100 numbers per second). At the end, y = cumulative sum of
/// s − mean(s); for window sizes τ from 310 ms to 8.8 s growing by 10 % (in whole 10 ms frames), F(τ)
/// = √(Σ_k SSE_k / K) where SSE_k is the residual sum of squares of a least-squares line fitted to
/// y over [k, k + τ), k stepping by max(1, τ/10) frames over [0, N − τ) (Essentia steps by τ/50;
/// a tenth of the window still samples every part of the track many times over, at a fifth of
/// the cost). The local exponents are
/// α_i = log10(F_{i+1}/F_i) / log10((τ_{i+1} + 3)/(τ_i + 3)) (the +3 is Streich's small-τ
/// correction), and the raw danceability is 1 / mean(α). Strongly periodic music flattens F beyond
/// the beat period (small α, high danceability); slowly evolving sound makes F grow fast (α ≥ 1).
/// Each line fit costs O(1) from prefix sums of y, t·y and y², so the analysis is cheap.
/// Rescaling: Essentia documents its values as "usually 0 to 3", so <c>Danceability</c> = raw/3,
/// clamped. Not thread-safe.
/// </remarks>
public sealed class DanceabilityDfa
{
    private const double MinTauMs = 310;
    private const double MaxTauMs = 8800;
    private const double TauMultiplier = 1.1;
    private const double RawScale = 3;
    private const int JumpDivisor = 10;

    private readonly int _frameLength;
    private readonly List<double> _deviations = [];
    private double _sum;
    private double _squares;
    private int _count;

    /// <summary>A DFA for PCM at <paramref name="sampleRate"/> Hz.</summary>
    public DanceabilityDfa(double sampleRate)
    {
        if (!(sampleRate >= 200)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be at least 200 Hz.");
        _frameLength = (int)(0.01 * sampleRate);
    }

    /// <summary>Feeds the next samples.</summary>
    public void Push(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            int take = Math.Min(_frameLength - _count, samples.Length);
            var (s, q) = SpanMath.SumAndSquares(samples[..take]);
            _sum += s;
            _squares += q;
            _count += take;
            samples = samples[take..];
            if (_count == _frameLength)
            {
                double mean = _sum / _frameLength;
                double variance = (_squares - _sum * mean) / (_frameLength - 1);
                _deviations.Add(Math.Sqrt(Math.Max(0, variance)));
                _sum = 0;
                _squares = 0;
                _count = 0;
            }
        }
    }

    /// <summary>The danceability of everything pushed so far (an incomplete last 10 ms frame is ignored).</summary>
    public DanceabilityResult Result() => Compute(_deviations);

    /// <summary>The DFA of a series of 10 ms frame deviations.</summary>
    internal static DanceabilityResult Compute(IReadOnlyList<double> deviations)
    {
        int n = deviations.Count;
        var taus = new List<int>();
        for (double tau = MinTauMs; tau <= MaxTauMs; tau *= TauMultiplier) taus.Add((int)(tau / 10));

        // y = integrated, mean-removed series.
        double mean = 0;
        foreach (double d in deviations) mean += d;
        mean = n > 0 ? mean / n : 0;
        var integrated = new double[n];
        double y = 0;
        for (int t = 0; t < n; t++)
        {
            y += deviations[t] - mean;
            integrated[t] = y;
        }
        var sums = new SegmentedSums(integrated);

        var fluctuation = new List<double>();
        foreach (int tau in taus)
        {
            if (n < tau || tau < 3) break;
            int jump = Math.Max(tau / JumpDivisor, 1);
            double total = 0;
            int blocks = 0;
            for (int k = 0; k < n - tau; k += jump)
            {
                total += sums.ResidualSumOfSquares(k, tau);
                blocks++;
            }
            fluctuation.Add(n == tau || blocks == 0 ? 0 : Math.Sqrt(total / ((double)(n - tau) / jump)));
        }

        var exponents = new List<double>();
        for (int i = 0; i + 1 < fluctuation.Count; i++)
        {
            if (!(fluctuation[i] > 0 && fluctuation[i + 1] > 0)) return new DanceabilityResult(0, 0, []);
            exponents.Add(Math.Log10(fluctuation[i + 1] / fluctuation[i]) / Math.Log10((taus[i + 1] + 3.0) / (taus[i] + 3.0)));
        }
        if (exponents.Count == 0) return new DanceabilityResult(0, 0, []);
        double meanExponent = exponents.Average();
        double raw = meanExponent > 0 ? 1 / meanExponent : 0;
        if (!double.IsFinite(raw)) raw = 0;
        return new DanceabilityResult(raw, Math.Clamp(raw / RawScale, 0, 1), exponents);
    }

    // The direct O(τ) fit, for tests of the prefix-sum one.
    internal static double ResidualSumOfSquaresDirect(ReadOnlySpan<double> y)
    {
        int tau = y.Length;
        double mt = (tau - 1) / 2.0, my = 0;
        foreach (double v in y) my += v / tau;
        double sxy = 0, sxx = 0;
        for (int t = 0; t < tau; t++) { sxy += (t - mt) * (y[t] - my); sxx += (t - mt) * (t - mt); }
        double slope = sxy / sxx, sse = 0;
        for (int t = 0; t < tau; t++) { double r = y[t] - my - slope * (t - mt); sse += r * r; }
        return sse;
    }

    /// <summary>
    /// Prefix sums of y, j·y and y² restarted every <see cref="Segment"/> values with j counted from
    /// the segment's start, so their magnitude does not grow with the track's length (a plain prefix
    /// sum of t·y over an hour of 10 ms frames would lose most of its digits). A window of at most
    /// one segment spans at most two segments.
    /// </summary>
    internal sealed class SegmentedSums
    {
        public const int Segment = 2048;

        private readonly double[] _s0; // per segment g, entries g·(Segment+1) + m = Σ_{j<m} of the segment
        private readonly double[] _s1;
        private readonly double[] _s2;

        public SegmentedSums(ReadOnlySpan<double> y)
        {
            int segments = (y.Length + Segment - 1) / Segment;
            _s0 = new double[Math.Max(1, segments) * (Segment + 1)];
            _s1 = new double[_s0.Length];
            _s2 = new double[_s0.Length];
            for (int g = 0; g < segments; g++)
            {
                int start = g * Segment, baseIndex = g * (Segment + 1);
                int length = Math.Min(Segment, y.Length - start);
                for (int j = 0; j < length; j++)
                {
                    double v = y[start + j];
                    _s0[baseIndex + j + 1] = _s0[baseIndex + j] + v;
                    _s1[baseIndex + j + 1] = _s1[baseIndex + j] + j * v;
                    _s2[baseIndex + j + 1] = _s2[baseIndex + j] + v * v;
                }
            }
        }

        /// <summary>Residual sum of squares of the least-squares line through y[k..k+τ), τ ≤ Segment.</summary>
        public double ResidualSumOfSquares(int k, int tau)
        {
            var (sy, sty, syy) = Sums(k, k + tau);
            double st = tau * (tau - 1) / 2.0;
            double stt = (tau - 1.0) * tau * (2 * tau - 1) / 6;
            double sxx = stt - st * st / tau;
            double sxy = sty - st * sy / tau;
            return Math.Max(0, syy - sy * sy / tau - sxy * sxy / sxx);
        }

        // Σ y, Σ (t − a)·y, Σ y² over [a, b).
        private (double Sy, double Sty, double Syy) Sums(int a, int b)
        {
            int ga = a / Segment, la = a - ga * Segment;
            int gb = (b - 1) / Segment, lb = b - gb * Segment;
            int baseA = ga * (Segment + 1);
            if (ga == gb)
            {
                double s0 = _s0[baseA + lb] - _s0[baseA + la];
                double s1 = _s1[baseA + lb] - _s1[baseA + la] - la * s0;
                return (s0, s1, _s2[baseA + lb] - _s2[baseA + la]);
            }
            double a0 = _s0[baseA + Segment] - _s0[baseA + la];
            double a1 = _s1[baseA + Segment] - _s1[baseA + la] - la * a0;
            double a2 = _s2[baseA + Segment] - _s2[baseA + la];
            int baseB = gb * (Segment + 1);
            double b0 = _s0[baseB + lb];
            double b1 = _s1[baseB + lb] + (Segment - la) * b0;   // segment gb starts Segment − la after a
            double b2 = _s2[baseB + lb];
            return (a0 + b0, a1 + b1, a2 + b2);
        }
    }
}
