namespace Earworm.Audio.Synthesis;

/// <summary>
/// Renders one note or chord of a <see cref="Timbre"/> to a fresh mono array that starts at the
/// note-on and ends when the release has died away. A single note at velocity 1 peaks near 1;
/// a chord is the sum of its notes (the mixer sets the final level).
/// </summary>
public static class Instruments
{
    private static readonly double[] BellRatios = [1, 2, 2.76, 5.4, 8.93];
    private static readonly float[] BellLevels = [1f, 0.55f, 0.45f, 0.25f, 0.15f];
    private static readonly double[] OrganRatios = [1, 2, 3, 4, 6, 8];
    private static readonly float[] OrganLevels = [0.55f, 0.45f, 0.25f, 0.2f, 0.12f, 0.08f];

    /// <summary>The amplitude envelope each timbre is played with.</summary>
    public static Adsr EnvelopeOf(Timbre timbre) => timbre switch
    {
        Timbre.Piano => new Adsr(0.003, 0, 1, 0.3),          // the partials decay by themselves
        Timbre.Pluck => new Adsr(0.002, 0, 1, 0.12),
        Timbre.Bell => new Adsr(0.002, 0, 1, 1.5),
        Timbre.Organ => new Adsr(0.006, 0, 1, 0.06),
        Timbre.Pad => new Adsr(0.6, 1.2, 0.8, 1.2),
        Timbre.Strings => new Adsr(0.12, 0.4, 0.85, 0.35),
        Timbre.SawBass => new Adsr(0.003, 0.3, 0.6, 0.05),
        Timbre.SubBass => new Adsr(0.006, 0.3, 0.85, 0.08),
        Timbre.ChipSquare => new Adsr(0.002, 0.12, 0.7, 0.03),
        Timbre.ChipPulse => new Adsr(0.002, 0.08, 0.5, 0.02),
        Timbre.ChipTriangle => new Adsr(0.002, 0, 1, 0.02),
        Timbre.OverdrivenGuitar => new Adsr(0.003, 0.5, 0.55, 0.06),
        Timbre.Flute => new Adsr(0.04, 0.15, 0.8, 0.12),
        _ => throw new ArgumentOutOfRangeException(nameof(timbre), timbre, null),
    };

    /// <summary>Renders <paramref name="frequenciesHz"/> (one note, or a chord) of <paramref name="timbre"/>.</summary>
    /// <param name="timbre">Instrument.</param>
    /// <param name="frequenciesHz">Fundamentals in Hz, each below Nyquist.</param>
    /// <param name="gateSeconds">How long the key is held, seconds; the release follows.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="velocity">Loudness 0..1 (brightens the piano too).</param>
    /// <param name="random">Source of oscillator start phases, so detuned voices differ per note
    /// yet stay reproducible.</param>
    /// <returns>Samples from note-on to the end of the release.</returns>
    public static float[] Render(Timbre timbre, ReadOnlySpan<double> frequenciesHz, double gateSeconds, int sampleRate,
        float velocity, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(gateSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(gateSeconds), gateSeconds, "Gate must be non-negative.");
        foreach (double f in frequenciesHz)
            if (!(f > 0 && f < sampleRate / 2.0))
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, "Every frequency must lie between 0 Hz and Nyquist.");

        var envelope = EnvelopeOf(timbre);
        var x = new float[envelope.LengthSamples(gateSeconds, sampleRate)];
        foreach (double f in frequenciesHz)
            AddVoice(timbre, f, x, sampleRate, velocity, random);
        if (timbre == Timbre.OverdrivenGuitar)
        {
            envelope.Apply(x, sampleRate, gateSeconds);
            Overdrive(x, sampleRate);
            Fade(x, sampleRate);
            return x;
        }
        envelope.Apply(x, sampleRate, gateSeconds);
        return x;
    }

    /// <summary>Renders one note of <paramref name="timbre"/> at MIDI note <paramref name="midiNote"/>.</summary>
    public static float[] RenderNote(Timbre timbre, int midiNote, double gateSeconds, int sampleRate, float velocity, Random random) =>
        Render(timbre, [MusicTheory.MidiToHz(midiNote)], gateSeconds, sampleRate, velocity, random);

    private static void AddVoice(Timbre timbre, double f, Span<float> x, int sr, float velocity, Random random)
    {
        switch (timbre)
        {
            case Timbre.Piano:
                Piano(f, x, sr, velocity);
                break;
            case Timbre.Pluck:
                for (int k = 1; k <= 12 && k * f < 0.45 * sr; k++)
                    Oscillator.AddSine(k * f, sr, x, velocity * 0.6f / k, 0, 0.5 / Math.Pow(k, 0.8));
                break;
            case Timbre.Bell:
                for (int k = 0; k < BellRatios.Length; k++)
                    Oscillator.AddSine(f * BellRatios[k], sr, x, velocity * 0.6f * BellLevels[k], 0, 2.0 / (1 + 1.5 * k));
                break;
            case Timbre.Organ:
                for (int k = 0; k < OrganRatios.Length; k++)
                    Oscillator.AddSine(f * OrganRatios[k], sr, x, velocity * OrganLevels[k], random.NextDouble());
                break;
            case Timbre.Pad:
                DetunedSaws(f, x, sr, velocity, random, [-14, -6, 0, 6, 14], sweep: true);
                break;
            case Timbre.Strings:
                DetunedSaws(f, x, sr, velocity, random, [-7, 0, 7], sweep: false);
                break;
            case Timbre.SawBass:
                SawBass(f, x, sr, velocity);
                break;
            case Timbre.SubBass:
                Oscillator.AddSine(f, sr, x, velocity * 0.9f);
                Oscillator.AddSine(2 * f, sr, x, velocity * 0.2f);
                break;
            case Timbre.ChipSquare:
                Oscillator.Add(Waveform.Square, f, sr, x, velocity * 0.5f);
                break;
            case Timbre.ChipPulse:
                Oscillator.Add(Waveform.Square, f, sr, x, velocity * 0.5f, 0, 0.25);
                break;
            case Timbre.ChipTriangle:
                Oscillator.Add(Waveform.Triangle, f, sr, x, velocity * 0.9f);
                break;
            case Timbre.OverdrivenGuitar:
                Oscillator.Add(Waveform.Saw, f * 0.998, sr, x, velocity * 0.3f, random.NextDouble());
                Oscillator.Add(Waveform.Saw, f * 1.002, sr, x, velocity * 0.3f, random.NextDouble());
                break;
            case Timbre.Flute:
                Oscillator.Add(Waveform.Triangle, f, sr, x, velocity * 0.8f);
                Oscillator.AddSine(2 * f, sr, x, velocity * 0.12f);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(timbre), timbre, null);
        }
    }

    // Stiff-string partials f_k = k·f·√(1 + B·k²) (Fletcher 1964), each decaying faster than the
    // one below it; low notes ring longer than high ones, and a harder strike is brighter.
    private static void Piano(double f, Span<float> x, int sr, float velocity)
    {
        const double inharmonicity = 0.0002;
        double fundamentalDecay = Math.Clamp(1.6 * Math.Sqrt(261.6 / f), 0.35, 3.5);
        double brightness = 0.55 + 0.35 * velocity;
        for (int k = 1; k <= 10; k++)
        {
            double fk = k * f * Math.Sqrt(1 + inharmonicity * k * k);
            if (fk >= 0.45 * sr) break;
            float a = (float)(velocity * 0.55 * Math.Pow(brightness, k - 1) / Math.Pow(k, 0.7));
            Oscillator.AddSine(fk, sr, x, a, 0, fundamentalDecay / (1 + 0.5 * (k - 1)));
        }
    }

    private static void DetunedSaws(double f, Span<float> x, int sr, float velocity, Random random, ReadOnlySpan<double> detuneCents, bool sweep)
    {
        var voice = new float[x.Length];
        float a = velocity * 0.7f / MathF.Sqrt(detuneCents.Length);
        foreach (double cents in detuneCents)
        {
            double fd = f * Math.Pow(2, cents / 1200);
            if (fd < 0.5 * sr) Oscillator.Add(Waveform.Saw, fd, sr, voice, a, random.NextDouble());
        }
        if (!sweep)
        {
            Biquad.LowPass(Math.Min(3000, 6 * f + 800), sr).Process(voice);
        }
        else
        {
            // The cutoff opens over the first seconds of the note: the slow "evolving" of a pad.
            var lp = Biquad.LowPass(400, sr);
            const int block = 64;
            for (int start = 0; start < voice.Length; start += block)
            {
                double t = (double)start / sr;
                lp.SetLowPass(Math.Min(400 + 1000 * (1 - Math.Exp(-t / 1.5)), 3 * f + 600));
                lp.Process(voice.AsSpan(start, Math.Min(block, voice.Length - start)));
            }
        }
        for (int i = 0; i < x.Length; i++) x[i] += voice[i];
    }

    // A saw with a sine sub under it; the low-pass snaps from bright to dark in a tenth of a second,
    // the "pluck" of a dance bass.
    private static void SawBass(double f, Span<float> x, int sr, float velocity)
    {
        var voice = new float[x.Length];
        Oscillator.Add(Waveform.Saw, f, sr, voice, velocity * 0.5f);
        Oscillator.AddSine(f, sr, voice, velocity * 0.5f);
        var lp = Biquad.LowPass(2000, sr, 1.4);
        const int block = 32;
        for (int start = 0; start < voice.Length; start += block)
        {
            double t = (double)start / sr;
            lp.SetLowPass(3 * f + 150 + 1800 * Math.Exp(-t / 0.06), 1.4);
            lp.Process(voice.AsSpan(start, Math.Min(block, voice.Length - start)));
        }
        for (int i = 0; i < x.Length; i++) x[i] += voice[i];
    }

    // Hard, symmetric tanh drive, then a low-pass near 3.5 kHz: a guitar amplifier into a speaker
    // cabinet. Intermodulation of the chord's notes comes for free from the drive.
    private static void Overdrive(Span<float> x, int sr)
    {
        const double drive = 6;
        double norm = 1 / Math.Tanh(drive * 0.6);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.8 * norm * Math.Tanh(drive * x[i]));
        Biquad.LowPass(Math.Min(3500, 0.4 * sr), sr).Process(x);
        Biquad.HighPass(90, sr).Process(x);
    }

    // The drive makes the release tail loud again; end on zero so truncation cannot click.
    private static void Fade(Span<float> x, int sr)
    {
        int n = Math.Min(x.Length, Math.Max(1, sr / 100));
        for (int i = 0; i < n; i++) x[x.Length - 1 - i] *= (float)i / n;
    }
}
