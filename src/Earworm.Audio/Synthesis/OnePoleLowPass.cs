namespace Earworm.Audio.Synthesis;

/// <summary>
/// One-pole low-pass y[n] = y[n−1] + a·(x[n] − y[n−1]), a = 1 − e^(−2πf/fs): a gentle 6 dB/octave
/// slope for darkening a sound without the resonance of a <see cref="Biquad"/>. Also the smoother
/// used for envelopes of onset energy. Keeps its state between calls; one per voice.
/// </summary>
public sealed class OnePoleLowPass
{
    private readonly double _a;
    private double _y;

    /// <param name="cutoffHz">−3 dB frequency in Hz (positive).</param>
    /// <param name="sampleRate">Samples per second.</param>
    public OnePoleLowPass(double cutoffHz, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(cutoffHz > 0)) throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, "Cutoff must be positive.");
        _a = 1 - Math.Exp(-2 * Math.PI * cutoffHz / sampleRate);
    }

    /// <summary>Filters <paramref name="samples"/> in place.</summary>
    public void Process(Span<float> samples)
    {
        double y = _y, a = _a;
        for (int i = 0; i < samples.Length; i++)
        {
            y += a * (samples[i] - y);
            samples[i] = (float)y;
        }
        _y = Math.Abs(y) < 1e-20 ? 0 : y;
    }
}
