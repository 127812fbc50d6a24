namespace Earworm.Audio.Synthesis;

/// <summary>
/// Band-limited oscillators as pure functions over spans. Saw and pulse use the two-sample
/// polynomial band-limited step (PolyBLEP; Välimäki &amp; Huovilainen 2007) at each jump; the triangle
/// uses its integral, PolyBLAMP (Esqueda, Välimäki &amp; Bilbao 2016), at each corner. That is enough
/// to keep a high note's aliases some 30–40 dB below the naive waveform's, at a few nanoseconds a
/// sample. Phases are in cycles (0..1), amplitudes are peak values.
/// </summary>
public static class Oscillator
{
    /// <summary>Adds <paramref name="amplitude"/> × the waveform at <paramref name="frequencyHz"/> into
    /// <paramref name="output"/> (mixing, not overwriting).</summary>
    /// <param name="waveform">Shape to draw.</param>
    /// <param name="frequencyHz">Fundamental in Hz, 0 &lt; f &lt; sampleRate/2.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="output">Samples to add to.</param>
    /// <param name="amplitude">Peak value of the added wave.</param>
    /// <param name="startPhase">Phase of the first sample in cycles; 0 starts a sine at zero, rising.</param>
    /// <param name="pulseWidth">Duty cycle of <see cref="Waveform.Square"/> in (0, 1); ignored otherwise.</param>
    public static void Add(Waveform waveform, double frequencyHz, int sampleRate, Span<float> output,
        float amplitude = 1f, double startPhase = 0, double pulseWidth = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2.0))
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must lie between 0 Hz and Nyquist.");
        if (!(pulseWidth > 0 && pulseWidth < 1))
            throw new ArgumentOutOfRangeException(nameof(pulseWidth), pulseWidth, "Pulse width must lie in (0, 1).");
        double dt = frequencyHz / sampleRate;
        double phase = startPhase - Math.Floor(startPhase);
        switch (waveform)
        {
            case Waveform.Sine:
                AddSine(frequencyHz, sampleRate, output, amplitude, startPhase);
                break;
            case Waveform.Saw:
                for (int i = 0; i < output.Length; i++)
                {
                    // Naive ramp −1..1, minus the residual of its downward jump of 2 at phase 1.
                    double v = 2 * phase - 1 - PolyBlep(phase, dt);
                    output[i] += (float)(amplitude * v);
                    phase += dt;
                    if (phase >= 1) phase -= 1;
                }
                break;
            case Waveform.Square:
                for (int i = 0; i < output.Length; i++)
                {
                    double v = phase < pulseWidth ? 1.0 : -1.0;
                    v += PolyBlep(phase, dt);                       // upward jump at 0
                    double down = phase - pulseWidth;
                    if (down < 0) down += 1;
                    v -= PolyBlep(down, dt);                        // downward jump at the pulse width
                    output[i] += (float)(amplitude * v);
                    phase += dt;
                    if (phase >= 1) phase -= 1;
                }
                break;
            case Waveform.Triangle:
                for (int i = 0; i < output.Length; i++)
                {
                    // Shift by a quarter cycle so the triangle, like the sine, starts at 0 rising;
                    // its minimum is then at u = 0 and its maximum at u = 0.5.
                    double u = phase + 0.25;
                    if (u >= 1) u -= 1;
                    double v = 1 - 4 * Math.Abs(u - 0.5);
                    double peak = u - 0.5;
                    if (peak < 0) peak += 1;
                    // The slope changes by ±8 per cycle, i.e. ±8·dt per sample, at each corner.
                    v += 8 * dt * (PolyBlamp(u, dt) - PolyBlamp(peak, dt));
                    output[i] += (float)(amplitude * v);
                    phase += dt;
                    if (phase >= 1) phase -= 1;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(waveform), waveform, null);
        }
    }

    /// <summary>Adds an exponentially decaying sine, a·e^(−t/τ)·sin(2πft + φ), by complex rotation:
    /// two multiplies a sample instead of a call to Math.Sin, which is what makes many-partial
    /// instruments cheap. Double precision keeps the drift far below float resolution over minutes.</summary>
    /// <param name="frequencyHz">Frequency in Hz; partials at or above Nyquist are skipped (nothing added).</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="output">Samples to add to.</param>
    /// <param name="amplitude">Initial peak value.</param>
    /// <param name="startPhase">Phase of the first sample in cycles.</param>
    /// <param name="decaySeconds">Time constant τ in seconds; infinity for a steady tone.</param>
    public static void AddSine(double frequencyHz, int sampleRate, Span<float> output, float amplitude = 1f,
        double startPhase = 0, double decaySeconds = double.PositiveInfinity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (frequencyHz >= sampleRate / 2.0 || frequencyHz <= 0) return;
        double w = 2 * Math.PI * frequencyHz / sampleRate;
        double r = double.IsPositiveInfinity(decaySeconds) ? 1.0 : Math.Exp(-1.0 / (decaySeconds * sampleRate));
        double stepRe = r * Math.Cos(w), stepIm = r * Math.Sin(w);
        double a0 = 2 * Math.PI * startPhase;
        double re = amplitude * Math.Cos(a0), im = amplitude * Math.Sin(a0);
        for (int i = 0; i < output.Length; i++)
        {
            output[i] += (float)im;
            double nr = re * stepRe - im * stepIm;
            im = re * stepIm + im * stepRe;
            re = nr;
        }
    }

    /// <summary>Residual of a band-limited step of height 2 at phase 0 (two-sample polynomial).</summary>
    /// <param name="t">Phase in cycles since the step, 0..1.</param>
    /// <param name="dt">Phase increment per sample (f / sampleRate).</param>
    internal static double PolyBlep(double t, double dt)
    {
        if (t < dt)
        {
            double x = t / dt;                 // 0..1 samples after the step
            return x + x - x * x - 1;
        }
        if (t > 1 - dt)
        {
            double x = (t - 1) / dt;           // −1..0 samples before the step
            return x * x + x + x + 1;
        }
        return 0;
    }

    /// <summary>Residual of a band-limited unit change of slope (per sample) at phase 0: the integral
    /// of the unit-step PolyBLEP residual, (1+τ)³/6 before the corner and (1−τ)³/6 after.</summary>
    internal static double PolyBlamp(double t, double dt)
    {
        if (t < dt)
        {
            double x = 1 - t / dt;
            return x * x * x / 6;
        }
        if (t > 1 - dt)
        {
            double x = 1 + (t - 1) / dt;
            return x * x * x / 6;
        }
        return 0;
    }
}
