namespace Earworm.Audio.Synthesis;

/// <summary>
/// Second-order IIR filter (transposed direct form II) with the coefficient formulas of
/// R. Bristow-Johnson's "Audio EQ Cookbook". It keeps its state between calls, so a voice can
/// be filtered block by block while its cutoff moves (<see cref="SetLowPass"/>), which is how
/// the filter sweeps of pads and basses are made. One instance per voice; not thread-safe.
/// </summary>
public sealed class Biquad
{
    private readonly int _sampleRate;
    private double _b0, _b1, _b2, _a1, _a2;
    private double _z1, _z2;

    private Biquad(int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        _sampleRate = sampleRate;
    }

    /// <summary>Q of a Butterworth (maximally flat) second-order section.</summary>
    public const double ButterworthQ = 0.7071067811865476;

    /// <summary>A low-pass at <paramref name="cutoffHz"/> (−3 dB at Q = 1/√2).</summary>
    public static Biquad LowPass(double cutoffHz, int sampleRate, double q = ButterworthQ)
    {
        var f = new Biquad(sampleRate);
        f.SetLowPass(cutoffHz, q);
        return f;
    }

    /// <summary>A high-pass at <paramref name="cutoffHz"/>.</summary>
    public static Biquad HighPass(double cutoffHz, int sampleRate, double q = ButterworthQ)
    {
        var f = new Biquad(sampleRate);
        var (cos, alpha) = f.Prepare(cutoffHz, q);
        f.SetNormalised((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        return f;
    }

    /// <summary>A band-pass with 0 dB peak gain at <paramref name="centreHz"/>.</summary>
    public static Biquad BandPass(double centreHz, int sampleRate, double q)
    {
        var f = new Biquad(sampleRate);
        var (cos, alpha) = f.Prepare(centreHz, q);
        f.SetNormalised(alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha);
        return f;
    }

    /// <summary>Re-tunes this filter as a low-pass, keeping its state (for sweeps).</summary>
    /// <param name="cutoffHz">Cutoff in Hz; clamped below Nyquist.</param>
    /// <param name="q">Resonance; 1/√2 is flat.</param>
    public void SetLowPass(double cutoffHz, double q = ButterworthQ)
    {
        var (cos, alpha) = Prepare(cutoffHz, q);
        SetNormalised((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>Filters <paramref name="samples"/> in place.</summary>
    public void Process(Span<float> samples)
    {
        double b0 = _b0, b1 = _b1, b2 = _b2, a1 = _a1, a2 = _a2, z1 = _z1, z2 = _z2;
        for (int i = 0; i < samples.Length; i++)
        {
            double x = samples[i];
            double y = b0 * x + z1;
            z1 = b1 * x - a1 * y + z2;
            z2 = b2 * x - a2 * y;
            samples[i] = (float)y;
        }
        // Flush denormals: a decayed tail would otherwise slow every later sample.
        _z1 = Math.Abs(z1) < 1e-20 ? 0 : z1;
        _z2 = Math.Abs(z2) < 1e-20 ? 0 : z2;
    }

    private (double Cos, double Alpha) Prepare(double frequencyHz, double q)
    {
        if (!(frequencyHz > 0)) throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must be positive.");
        if (!(q > 0)) throw new ArgumentOutOfRangeException(nameof(q), q, "Q must be positive.");
        double f = Math.Min(frequencyHz, 0.49 * _sampleRate);
        double w0 = 2 * Math.PI * f / _sampleRate;
        return (Math.Cos(w0), Math.Sin(w0) / (2 * q));
    }

    private void SetNormalised(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        _b0 = b0 / a0;
        _b1 = b1 / a0;
        _b2 = b2 / a0;
        _a1 = a1 / a0;
        _a2 = a2 / a0;
    }
}
