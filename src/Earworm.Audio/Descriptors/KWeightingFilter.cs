using System.Runtime.Intrinsics;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// The K-weighting pre-filter of ITU-R BS.1770-4: a high shelf (about +4 dB above 2 kHz, the
/// acoustic effect of the head) followed by the "RLB" high-pass (about 38 Hz). BS.1770 tabulates
/// the two biquads only for 48 kHz; here they are derived for the actual sample rate from the
/// analog prototype by the bilinear transform with pre-warping, with the prototype parameters
/// (shelf f0 = 1681.97 Hz, gain 3.99984 dB, Q = 0.70718; high-pass f0 = 38.1355 Hz, Q = 0.50033)
/// that reproduce the 48 kHz table to about 1e−9, exactly as libebur128 does (pyloudnorm uses
/// rounder parameters, 1500 Hz / 4 dB / 38 Hz, and differs from the table by a few thousandths of a dB).
/// </summary>
/// <remarks>
/// The cascade is run as a 4-state linear system in single precision, eight samples at a time:
/// the state is advanced by the precomputed eighth power of its state matrix and the eight outputs
/// are read from the state and the eight inputs (block state-space filtering). The recursion then
/// has one dependent 4×4 product per eight samples instead of a chain per sample, and the eight
/// lanes of a <see cref="Vector256{T}"/> compute the outputs, with fused multiply-adds where the CPU
/// has them (so the last bits may differ between machines). It is the same filter in exact
/// arithmetic; the block matrices are derived in double and rounded to float, and the output agrees
/// with the double-precision direct form to about 5e−5 of the signal's RMS (tested below 1e−4),
/// which moves a loudness reading by less than 1e−3 dB. Samples that do not fill a block of eight go through the same
/// system one step at a time. Not thread-safe: one per stream.
/// </remarks>
public sealed class KWeightingFilter
{
    private const int Block = 8;

    // One step: s' = A s + B x, y = C s + D x, s = [shelf s1, shelf s2, high-pass s1, high-pass s2]
    // (the transposed-direct-form-II states of the two biquads).
    private readonly double[] _a = new double[16];
    private readonly double[] _b = new double[4];
    private readonly double[] _c = new double[4];
    private readonly double _d;

    // Eight steps: s(n+8) = P s(n) + Q x(n..n+7); y(n..n+7) = M s(n) + N x(n..n+7). Stored as
    // columns, so a product is a sum of columns scaled by broadcast scalars.
    private readonly Vector128<float>[] _pColumns = new Vector128<float>[4];
    private readonly Vector128<float>[] _qColumns = new Vector128<float>[Block];
    private readonly Vector256<float>[] _mColumns = new Vector256<float>[4];
    private readonly Vector256<float>[] _nColumns = new Vector256<float>[Block];

    private Vector128<float> _state;

    /// <summary>Derives the two biquads for <paramref name="sampleRate"/> Hz and builds the filter with zero state.</summary>
    public KWeightingFilter(double sampleRate)
    {
        if (!(sampleRate >= 8000 && sampleRate <= 768000))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must lie in 8 000..768 000 Hz.");
        SampleRate = sampleRate;
        (ShelfB, ShelfA) = ShelfCoefficients(sampleRate);
        (HighPassB, HighPassA) = HighPassCoefficients(sampleRate);

        // Each biquad in TDF-II: y = b0 x + s1; s1' = b1 x − a1 y + s2; s2' = b2 x − a2 y.
        // As state space: A = [[−a1, 1], [−a2, 0]], B = [b1 − a1 b0, b2 − a2 b0], C = [1, 0], D = b0.
        double[] b1 = ShelfB, a1 = ShelfA, b2 = HighPassB, a2 = HighPassA;
        double[] bShelf = [b1[1] - a1[1] * b1[0], b1[2] - a1[2] * b1[0]];
        double[] bHigh = [b2[1] - a2[1] * b2[0], b2[2] - a2[2] * b2[0]];
        double dShelf = b1[0], dHigh = b2[0];
        // Cascade: the high-pass's input is the shelf's output C1 s1 + D1 x.
        double[,] a = new double[4, 4];
        a[0, 0] = -a1[1]; a[0, 1] = 1;
        a[1, 0] = -a1[2];
        a[2, 0] = bHigh[0]; a[2, 2] = -a2[1]; a[2, 3] = 1;   // B2·C1 with C1 = [1, 0]
        a[3, 0] = bHigh[1]; a[3, 2] = -a2[2];
        double[] b = [bShelf[0], bShelf[1], bHigh[0] * dShelf, bHigh[1] * dShelf];
        double[] c = [dHigh, 0, 1, 0];                        // y = D2 C1 s1 + C2 s2 + D2 D1 x
        double d = dHigh * dShelf;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++) _a[4 * i + j] = a[i, j];
        }
        b.CopyTo(_b, 0);
        c.CopyTo(_c, 0);
        _d = d;

        // Powers A^k, k = 0..8; then P = A^8, Q[:, j] = A^(7−j) B, M[i, :] = C A^i,
        // N[i, j] = D when i = j, C A^(i−1−j) B when j < i, else 0.
        var powers = new double[Block + 1][,];
        powers[0] = Identity();
        for (int k = 1; k <= Block; k++) powers[k] = Multiply(powers[k - 1], a);
        var column = new float[Block];
        for (int col = 0; col < 4; col++)
        {
            _pColumns[col] = Vector128.Create((float)powers[Block][0, col], (float)powers[Block][1, col], (float)powers[Block][2, col], (float)powers[Block][3, col]);
            for (int i = 0; i < Block; i++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += c[k] * powers[i][k, col];
                column[i] = (float)sum;
            }
            _mColumns[col] = Vector256.Create(column);
        }
        for (int j = 0; j < Block; j++)
        {
            var ab = Apply(powers[Block - 1 - j], b);
            _qColumns[j] = Vector128.Create((float)ab[0], (float)ab[1], (float)ab[2], (float)ab[3]);
            for (int i = 0; i < Block; i++)
            {
                if (i == j) column[i] = (float)d;
                else if (j < i)
                {
                    var cab = Apply(powers[i - 1 - j], b);
                    column[i] = (float)(c[0] * cab[0] + c[1] * cab[1] + c[2] * cab[2] + c[3] * cab[3]);
                }
                else column[i] = 0;
            }
            _nColumns[j] = Vector256.Create(column);
        }
    }

    /// <summary>Sample rate the coefficients were derived for, Hz.</summary>
    public double SampleRate { get; }

    /// <summary>High-shelf numerator b0, b1, b2.</summary>
    public double[] ShelfB { get; }

    /// <summary>High-shelf denominator 1, a1, a2.</summary>
    public double[] ShelfA { get; }

    /// <summary>High-pass numerator b0, b1, b2 (1, −2, 1, unnormalised as in BS.1770's table).</summary>
    public double[] HighPassB { get; }

    /// <summary>High-pass denominator 1, a1, a2.</summary>
    public double[] HighPassA { get; }

    /// <summary>
    /// The high shelf (stage 1) for a sample rate: bilinear transform of the analog shelf with
    /// pre-warped centre frequency, parameters fitted to the BS.1770 48 kHz table.
    /// </summary>
    public static (double[] B, double[] A) ShelfCoefficients(double sampleRate)
    {
        const double f0 = 1681.974450955533;
        const double gainDb = 3.999843853973347;
        const double q = 0.7071752369554196;
        double k = Math.Tan(Math.PI * f0 / sampleRate);
        double vh = Math.Pow(10, gainDb / 20);
        double vb = Math.Pow(vh, 0.4996667741545416);
        double a0 = 1 + k / q + k * k;
        double[] b = [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0];
        double[] a = [1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0];
        return (b, a);
    }

    /// <summary>The RLB high-pass (stage 2) for a sample rate; numerator 1, −2, 1 as in BS.1770.</summary>
    public static (double[] B, double[] A) HighPassCoefficients(double sampleRate)
    {
        const double f0 = 38.13547087602444;
        const double q = 0.5003270373238773;
        double k = Math.Tan(Math.PI * f0 / sampleRate);
        double a0 = 1 + k / q + k * k;
        return ([1, -2, 1], [1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]);
    }

    /// <summary>Power gain |H(f)|² of the whole K-weighting at <paramref name="frequencyHz"/>.</summary>
    public double PowerGain(double frequencyHz)
    {
        double w = 2 * Math.PI * frequencyHz / SampleRate;
        return BiquadPowerGain(ShelfB, ShelfA, w) * BiquadPowerGain(HighPassB, HighPassA, w);
    }

    /// <summary>Clears the state (a new stream).</summary>
    public void Reset() => _state = Vector128<float>.Zero;

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/> (same length), continuing the state.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output must be as long as input", nameof(output));
        int i = 0;
        var s = _state;
        if (Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated)
        {
            var p0 = _pColumns[0]; var p1 = _pColumns[1]; var p2 = _pColumns[2]; var p3 = _pColumns[3];
            var m0 = _mColumns[0]; var m1 = _mColumns[1]; var m2 = _mColumns[2]; var m3 = _mColumns[3];
            var q = _qColumns;
            var n = _nColumns;
            for (; i + Block <= input.Length; i += Block)
            {
                var block = input.Slice(i, Block);
                // The inputs' part first: it does not depend on the state, so it overlaps the
                // previous block's state update.
                var y = n[0] * Vector256.Create(block[0]);
                var next = q[0] * Vector128.Create(block[0]);
                for (int j = 1; j < Block; j++)
                {
                    y = Vector256.MultiplyAddEstimate(n[j], Vector256.Create(block[j]), y);
                    next = Vector128.MultiplyAddEstimate(q[j], Vector128.Create(block[j]), next);
                }
                float e0 = s.GetElement(0), e1 = s.GetElement(1), e2 = s.GetElement(2), e3 = s.GetElement(3);
                y = Vector256.MultiplyAddEstimate(m3, Vector256.Create(e3), Vector256.MultiplyAddEstimate(m2, Vector256.Create(e2),
                    Vector256.MultiplyAddEstimate(m1, Vector256.Create(e1), Vector256.MultiplyAddEstimate(m0, Vector256.Create(e0), y))));
                s = Vector128.MultiplyAddEstimate(p1, Vector128.Create(e1), p0 * Vector128.Create(e0))
                    + Vector128.MultiplyAddEstimate(p3, Vector128.Create(e3), Vector128.MultiplyAddEstimate(p2, Vector128.Create(e2), next));
                y.CopyTo(output.Slice(i));
            }
        }
        if (i < input.Length)
        {
            Span<double> state = [s.GetElement(0), s.GetElement(1), s.GetElement(2), s.GetElement(3)];
            for (; i < input.Length; i++) output[i] = (float)Step(state, input[i]);
            s = Vector128.Create((float)state[0], (float)state[1], (float)state[2], (float)state[3]);
        }
        _state = s;
    }

    /// <summary>The reference: the two biquads in transposed direct form II, sample by sample, from
    /// zero state (tests compare the fast path with this).</summary>
    public static void ProcessDirectForm(ReadOnlySpan<float> input, Span<double> output, double sampleRate)
    {
        var (b1, a1) = ShelfCoefficients(sampleRate);
        var (b2, a2) = HighPassCoefficients(sampleRate);
        double s1 = 0, s2 = 0, t1 = 0, t2 = 0;
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            double y = b1[0] * x + s1;
            s1 = b1[1] * x - a1[1] * y + s2;
            s2 = b1[2] * x - a1[2] * y;
            double z = b2[0] * y + t1;
            t1 = b2[1] * y - a2[1] * z + t2;
            t2 = b2[2] * y - a2[2] * z;
            output[i] = z;
        }
    }

    // One step of the state-space system in double (the state is rounded to float between calls).
    private double Step(Span<double> s, double x)
    {
        double y = _c[0] * s[0] + _c[1] * s[1] + _c[2] * s[2] + _c[3] * s[3] + _d * x;
        Span<double> next = stackalloc double[4];
        for (int r = 0; r < 4; r++)
            next[r] = _a[4 * r] * s[0] + _a[4 * r + 1] * s[1] + _a[4 * r + 2] * s[2] + _a[4 * r + 3] * s[3] + _b[r] * x;
        next.CopyTo(s);
        return y;
    }

    private static double BiquadPowerGain(double[] b, double[] a, double w)
    {
        // |Σ b_k e^{−ikw}|² / |Σ a_k e^{−ikw}|²
        double nr = b[0] + b[1] * Math.Cos(w) + b[2] * Math.Cos(2 * w);
        double ni = -(b[1] * Math.Sin(w) + b[2] * Math.Sin(2 * w));
        double dr = a[0] + a[1] * Math.Cos(w) + a[2] * Math.Cos(2 * w);
        double di = -(a[1] * Math.Sin(w) + a[2] * Math.Sin(2 * w));
        return (nr * nr + ni * ni) / (dr * dr + di * di);
    }

    private static double[,] Identity()
    {
        var m = new double[4, 4];
        for (int i = 0; i < 4; i++) m[i, i] = 1;
        return m;
    }

    private static double[,] Multiply(double[,] x, double[,] y)
    {
        var r = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += x[i, k] * y[k, j];
                r[i, j] = sum;
            }
        }
        return r;
    }

    private static double[] Apply(double[,] x, double[] v)
    {
        var r = new double[4];
        for (int i = 0; i < 4; i++) r[i] = x[i, 0] * v[0] + x[i, 1] * v[1] + x[i, 2] * v[2] + x[i, 3] * v[3];
        return r;
    }
}
