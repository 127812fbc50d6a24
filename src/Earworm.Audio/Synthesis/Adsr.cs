namespace Earworm.Audio.Synthesis;

/// <summary>
/// Attack–decay–sustain–release amplitude envelope. The gate is how long the key is held; the
/// release starts from whatever level the envelope reached, so a note shorter than its attack
/// does not jump. Attack is linear (a clean onset for tempo tests); decay and release fall
/// exponentially, as real instruments and analogue envelopes do, reaching −60 dB at the end of
/// their stated times.
/// </summary>
/// <param name="AttackSeconds">Time from 0 to full level, seconds (≥ 0).</param>
/// <param name="DecaySeconds">Time from full level to about the sustain level, seconds (≥ 0).</param>
/// <param name="SustainLevel">Level held while the gate is open, 0..1.</param>
/// <param name="ReleaseSeconds">Time from the level at gate-off to silence, seconds (≥ 0).</param>
public readonly record struct Adsr(double AttackSeconds, double DecaySeconds, double SustainLevel, double ReleaseSeconds)
{
    private const double SixtyDb = 6.907755278982137; // ln(1000): e^−6.9 ≈ −60 dB

    /// <summary>A percussive shape: instant attack, exponential fall to silence, no sustain.</summary>
    public static Adsr Percussive(double decaySeconds, double releaseSeconds = 0.05) =>
        new(0.002, decaySeconds, 0, releaseSeconds);

    /// <summary>Throws when a time is negative or the sustain level lies outside 0..1.</summary>
    public void Validate()
    {
        if (!(AttackSeconds >= 0) || !(DecaySeconds >= 0) || !(ReleaseSeconds >= 0))
            throw new ArgumentOutOfRangeException(nameof(Adsr), this, "Envelope times must be non-negative.");
        if (!(SustainLevel is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(SustainLevel), SustainLevel, "Sustain level must lie in 0..1.");
    }

    /// <summary>Samples a note of this envelope lasts: the gate plus the release.</summary>
    /// <param name="gateSeconds">How long the key is held, seconds.</param>
    /// <param name="sampleRate">Samples per second.</param>
    public int LengthSamples(double gateSeconds, int sampleRate) =>
        (int)Math.Ceiling((Math.Max(0, gateSeconds) + ReleaseSeconds) * sampleRate);

    /// <summary>Envelope level at <paramref name="timeSeconds"/> after note-on.</summary>
    /// <param name="timeSeconds">Seconds since note-on.</param>
    /// <param name="gateSeconds">How long the key is held, seconds.</param>
    public double Level(double timeSeconds, double gateSeconds)
    {
        if (timeSeconds < 0) return 0;
        if (timeSeconds < gateSeconds) return Held(timeSeconds);
        if (ReleaseSeconds <= 0) return 0;
        double released = timeSeconds - gateSeconds;
        if (released >= ReleaseSeconds) return 0;
        return Held(gateSeconds) * Math.Exp(-SixtyDb * released / ReleaseSeconds) * Fade(released / ReleaseSeconds);
    }

    /// <summary>Multiplies <paramref name="samples"/> (sample 0 = note-on) by the envelope in place.</summary>
    /// <param name="samples">One voice's samples.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="gateSeconds">How long the key is held, seconds.</param>
    public void Apply(Span<float> samples, int sampleRate, double gateSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        double dt = 1.0 / sampleRate;
        for (int i = 0; i < samples.Length; i++)
            samples[i] *= (float)Level(i * dt, gateSeconds);
    }

    private double Held(double t)
    {
        if (t < AttackSeconds) return t / AttackSeconds;
        double d = t - AttackSeconds;
        if (DecaySeconds <= 0) return SustainLevel;
        return SustainLevel + (1 - SustainLevel) * Math.Exp(-SixtyDb * d / DecaySeconds);
    }

    // An exponential never reaches zero; a short linear taper over the last tenth of the release
    // makes the note end at exactly 0 so that truncating the voice cannot click.
    private static double Fade(double fraction) => fraction < 0.9 ? 1 : (1 - fraction) * 10;
}
