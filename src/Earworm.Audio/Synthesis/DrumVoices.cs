namespace Earworm.Audio.Synthesis;

/// <summary>
/// One-shot drum sounds, each a fresh mono array with peak near 1 that starts sounding at
/// sample 0 (so an onset lands exactly where it is mixed in). A track renders each voice once and
/// mixes copies at different gains, the way a drum machine plays samples.
/// </summary>
public static class DrumVoices
{
    /// <summary>Bass drum: a sine whose pitch falls exponentially from <paramref name="startHz"/> to
    /// <paramref name="endHz"/> (the "808" sweep), plus a 2 ms click so the onset is sharp.</summary>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="startHz">Pitch at the strike, Hz.</param>
    /// <param name="endHz">Pitch the body settles to, Hz.</param>
    /// <param name="decaySeconds">Amplitude time constant, seconds.</param>
    public static float[] Kick(int sampleRate, double startHz = 160, double endHz = 48, double decaySeconds = 0.12)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        const double sweepSeconds = 0.035;
        var x = new float[(int)(sampleRate * decaySeconds * 4)];
        int click = Math.Max(1, (int)(0.002 * sampleRate));
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / sampleRate;
            // Phase is the integral of the swept frequency, so the sweep is click-free.
            double phase = endHz * t + (startHz - endHz) * sweepSeconds * (1 - Math.Exp(-t / sweepSeconds));
            double body = Math.Sin(2 * Math.PI * phase) * Math.Exp(-t / decaySeconds);
            double attack = i < click ? 0.5 * (1 - (double)i / click) * (i % 2 == 0 ? 1 : -1) : 0;
            x[i] = (float)(body + attack);
        }
        FadeTail(x, sampleRate);
        return x;
    }

    /// <summary>Snare: two damped drum-head modes (<paramref name="toneHz"/> and 1.5× it) under a
    /// high-passed noise burst, the rattle of the snares.</summary>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="random">Source of the noise.</param>
    /// <param name="decaySeconds">Time constant of the rattle, seconds.</param>
    /// <param name="toneHz">Lowest head mode, Hz; producers tune it to the song.</param>
    public static float[] Snare(int sampleRate, Random random, double decaySeconds = 0.11, double toneHz = 185)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var x = new float[(int)(sampleRate * decaySeconds * 3.5)];
        Noise.AddWhite(x, random, 1f);
        Biquad.HighPass(1200, sampleRate).Process(x);
        Decay(x, sampleRate, decaySeconds);
        Oscillator.AddSine(toneHz, sampleRate, x, 0.6f, 0.25, decaySeconds * 0.5);
        Oscillator.AddSine(1.5 * toneHz, sampleRate, x, 0.35f, 0.25, decaySeconds * 0.35);
        Normalise(x, 1f);
        FadeTail(x, sampleRate);
        return x;
    }

    /// <summary>Hi-hat: a burst of noise high-passed near 7 kHz (scaled down at low sample rates).
    /// Closed, <paramref name="decaySeconds"/> ≈ 0.03; open, ≈ 0.15.</summary>
    public static float[] HiHat(int sampleRate, Random random, double decaySeconds = 0.03)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var x = new float[Math.Max(1, (int)(sampleRate * decaySeconds * 4))];
        Noise.AddWhite(x, random, 1f);
        // Two sections, 24 dB/octave, keep the hat out of the band where chords and bass live.
        double cutoffHz = Math.Min(7000, 0.3 * sampleRate);
        Biquad.HighPass(cutoffHz, sampleRate).Process(x);
        Biquad.HighPass(cutoffHz, sampleRate).Process(x);
        Decay(x, sampleRate, decaySeconds);
        Normalise(x, 1f);
        FadeTail(x, sampleRate);
        return x;
    }

    /// <summary>Hand clap: three quick band-passed noise bursts about 10 ms apart, then a short
    /// tail — several hands not quite together.</summary>
    public static float[] Clap(int sampleRate, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var x = new float[(int)(sampleRate * 0.3)];
        Noise.AddWhite(x, random, 1f);
        Biquad.BandPass(Math.Min(1300, 0.3 * sampleRate), sampleRate, 1.2).Process(x);
        double burst = 0.011;
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / sampleRate;
            double env = t < 3 * burst
                ? Math.Exp(-(t % burst) / 0.004)
                : Math.Exp(-(t - 3 * burst) / 0.07);
            x[i] *= (float)env;
        }
        Normalise(x, 1f);
        FadeTail(x, sampleRate);
        return x;
    }

    /// <summary>8-bit noise drum: coarse sample-and-hold noise with an exponential decay; a short
    /// one is a chip hi-hat, a longer, coarser one a chip snare.</summary>
    public static float[] ChipNoise(int sampleRate, Random random, double decaySeconds, int holdSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var x = new float[Math.Max(1, (int)(sampleRate * decaySeconds * 4))];
        Noise.AddSampleAndHold(x, random, holdSamples, 1f);
        Decay(x, sampleRate, decaySeconds);
        FadeTail(x, sampleRate);
        return x;
    }

    private static void Decay(Span<float> x, int sampleRate, double decaySeconds)
    {
        double r = Math.Exp(-1.0 / (decaySeconds * sampleRate)), g = 1;
        for (int i = 0; i < x.Length; i++, g *= r) x[i] *= (float)g;
    }

    private static void Normalise(Span<float> x, float peak)
    {
        float max = 0;
        foreach (float v in x) max = Math.Max(max, Math.Abs(v));
        if (max <= 0) return;
        float g = peak / max;
        for (int i = 0; i < x.Length; i++) x[i] *= g;
    }

    // The last 5 ms go linearly to zero so a truncated tail cannot click.
    private static void FadeTail(Span<float> x, int sampleRate)
    {
        int n = Math.Min(x.Length, Math.Max(1, sampleRate / 200));
        for (int i = 0; i < n; i++) x[x.Length - 1 - i] *= (float)i / n;
    }
}
