namespace Earworm.Audio.Synthesis;

/// <summary>
/// Analytic and near-analytic signals for descriptor tests: clicks and drums at a known tempo,
/// a cadence in a known key, a sine at a known level, seeded noise, silence. Every method returns
/// interleaved float32 with <c>channels</c> = 1 (mono) or 2 (stereo, both channels equal unless
/// stated), round(durationSeconds × sampleRate) frames, every sample in [−1, 1].
/// </summary>
public static class TestSignals
{
    /// <summary>All zeros.</summary>
    public static float[] Silence(double durationSeconds, int sampleRate, int channels = 1) =>
        new float[Frames(durationSeconds, sampleRate) * CheckChannels(channels)];

    /// <summary>A sine whose peak is <paramref name="levelDbfs"/> dB relative to full scale (the AES17
    /// convention: a full-scale sine is 0 dBFS, so its RMS is the level − 3.01 dB).</summary>
    /// <param name="frequencyHz">Frequency in Hz, below Nyquist.</param>
    /// <param name="levelDbfs">Peak level, dBFS (≤ 0).</param>
    /// <param name="durationSeconds">Length in seconds.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="channels">1 or 2.</param>
    public static float[] Sine(double frequencyHz, double levelDbfs, double durationSeconds, int sampleRate, int channels = 1)
    {
        if (!(levelDbfs <= 0)) throw new ArgumentOutOfRangeException(nameof(levelDbfs), levelDbfs, "Level must be at most 0 dBFS.");
        if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2.0))
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must lie between 0 Hz and Nyquist.");
        var mono = new float[Frames(durationSeconds, sampleRate)];
        Oscillator.AddSine(frequencyHz, sampleRate, mono, (float)DbToGain(levelDbfs));
        return Interleave(mono, channels);
    }

    /// <summary>Uniform white noise with peak <paramref name="peakDbfs"/> (RMS 4.77 dB lower). In stereo
    /// the two channels are independent.</summary>
    public static float[] WhiteNoise(double durationSeconds, int sampleRate, int seed, double peakDbfs = -6, int channels = 1)
    {
        if (!(peakDbfs <= 0)) throw new ArgumentOutOfRangeException(nameof(peakDbfs), peakDbfs, "Level must be at most 0 dBFS.");
        var x = new float[Frames(durationSeconds, sampleRate) * CheckChannels(channels)];
        Noise.AddWhite(x, new Random(seed), (float)DbToGain(peakDbfs));
        return x;
    }

    /// <summary>A short click (a 3 ms, 2 kHz decaying blip, peak −1 dBFS) on every beat, the first at
    /// <paramref name="firstClickSeconds"/>; beat k is at first + k·60/tempoBpm seconds.</summary>
    public static float[] ClickTrack(double tempoBpm, double durationSeconds, int sampleRate, int channels = 1,
        double firstClickSeconds = 0)
    {
        CheckTempo(tempoBpm);
        var mono = new float[Frames(durationSeconds, sampleRate)];
        var click = new float[Math.Max(1, (int)(0.012 * sampleRate))];
        Oscillator.AddSine(Math.Min(2000, 0.4 * sampleRate), sampleRate, click, (float)DbToGain(-1), 0.25, 0.003);
        foreach (int frame in BeatFrames(tempoBpm, firstClickSeconds, sampleRate, mono.Length))
            Mix(mono, click, frame, 1f);
        return Interleave(mono, channels);
    }

    /// <summary>A rock beat: kick on beats 1 and 3, snare on 2 and 4, closed hi-hat on every eighth;
    /// beat k at first + k·60/tempoBpm seconds. Soft-limited so overlaps stay within full scale.</summary>
    public static float[] DrumPattern(double tempoBpm, double durationSeconds, int sampleRate, int channels = 1, int seed = 1,
        double firstBeatSeconds = 0)
    {
        CheckTempo(tempoBpm);
        var random = new Random(seed);
        var kick = DrumVoices.Kick(sampleRate);
        var snare = DrumVoices.Snare(sampleRate, random);
        var hat = DrumVoices.HiHat(sampleRate, random);
        var mono = new float[Frames(durationSeconds, sampleRate)];
        int beat = 0;
        double half = 30.0 / tempoBpm * sampleRate;
        foreach (int frame in BeatFrames(tempoBpm, firstBeatSeconds, sampleRate, mono.Length))
        {
            Mix(mono, beat % 2 == 0 ? kick : snare, frame, beat % 2 == 0 ? 0.8f : 0.6f);
            Mix(mono, hat, frame, 0.25f);
            Mix(mono, hat, frame + (int)Math.Round(half), 0.15f);
            beat++;
        }
        SoftLimiter.Apply(mono);
        return Interleave(mono, channels);
    }

    /// <summary>The authentic cadence in a key — I–IV–V–I in major, i–iv–V–i (harmonic-minor V) in
    /// minor — each chord a close triad above G3 over its root in the bass, played by
    /// <paramref name="timbre"/>; the final tonic is held twice as long, as cadences end. Length:
    /// 5 × secondsPerChord × repeats. Peak normalised to −1 dBFS.</summary>
    /// <param name="tonic">Pitch class of the key's tonic, 0..11 (C = 0).</param>
    /// <param name="mode">Major or minor.</param>
    /// <param name="timbre">Instrument for chords and bass.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="channels">1 or 2.</param>
    /// <param name="secondsPerChord">Length of each chord, seconds.</param>
    /// <param name="repeats">How many times the four chords are played.</param>
    /// <param name="seed">Seeds oscillator phases.</param>
    public static float[] ChordProgression(int tonic, Mode mode, Timbre timbre, int sampleRate, int channels = 1,
        double secondsPerChord = 1.0, int repeats = 1, int seed = 1)
    {
        if (tonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(tonic), tonic, "Tonic must be a pitch class 0..11.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        if (!(secondsPerChord > 0)) throw new ArgumentOutOfRangeException(nameof(secondsPerChord), secondsPerChord, "Chord length must be positive.");
        var random = new Random(seed);
        var chords = Progressions.Cadence(mode);
        int slots = chords.Count + 1;                              // the last chord takes two slots
        var mono = new float[Frames(secondsPerChord * slots * repeats, sampleRate)];
        int slotFrames = (int)Math.Round(secondsPerChord * sampleRate);
        for (int r = 0; r < repeats; r++)
        {
            for (int i = 0; i < chords.Count; i++)
            {
                var pcs = MusicTheory.TriadPitchClasses(tonic, mode, chords[i]);
                double[] hz = [.. pcs.Select(pc => MusicTheory.MidiToHz(55 + MusicTheory.PitchClass(pc - 55)))];
                double bassHz = MusicTheory.MidiToHz(40 + MusicTheory.PitchClass(pcs[0] - 40));
                // The gate ends before the next chord so its release does not blur the change much.
                double gate = (i == chords.Count - 1 ? 1.85 : 0.85) * secondsPerChord;
                int frame = (r * slots + i) * slotFrames;
                Mix(mono, Instruments.Render(timbre, hz, gate, sampleRate, 0.8f, random), frame, 1f);
                Mix(mono, Instruments.Render(timbre, [bassHz], gate, sampleRate, 0.8f, random), frame, 0.7f);
            }
        }
        float peak = 0;
        foreach (float v in mono) peak = Math.Max(peak, Math.Abs(v));
        if (peak > 0)
        {
            float g = (float)DbToGain(-1) / peak;
            for (int i = 0; i < mono.Length; i++) mono[i] *= g;
        }
        return Interleave(mono, channels);
    }

    /// <summary>Linear gain of a level in dB: 10^(dB/20).</summary>
    public static double DbToGain(double decibels) => Math.Pow(10, decibels / 20);

    private static IEnumerable<int> BeatFrames(double tempoBpm, double firstSeconds, int sampleRate, int frameCount)
    {
        for (int k = 0; ; k++)
        {
            int frame = (int)Math.Round((firstSeconds + k * 60.0 / tempoBpm) * sampleRate);
            if (frame >= frameCount) yield break;
            if (frame >= 0) yield return frame;
        }
    }

    private static void Mix(float[] into, float[] sound, int frame, float gain)
    {
        int n = Math.Min(sound.Length, into.Length - frame);
        for (int i = 0; i < n; i++) into[frame + i] += gain * sound[i];
    }

    private static float[] Interleave(float[] mono, int channels)
    {
        if (CheckChannels(channels) == 1) return mono;
        var x = new float[mono.Length * 2];
        for (int i = 0; i < mono.Length; i++) x[2 * i] = x[2 * i + 1] = mono[i];
        return x;
    }

    private static int Frames(double durationSeconds, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!(durationSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "Duration must be non-negative.");
        return (int)Math.Round(durationSeconds * sampleRate);
    }

    private static int CheckChannels(int channels) => channels is 1 or 2
        ? channels
        : throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (mono) or 2 (stereo).");

    private static void CheckTempo(double tempoBpm)
    {
        if (!(tempoBpm is > 0 and <= 1000)) throw new ArgumentOutOfRangeException(nameof(tempoBpm), tempoBpm, "Tempo must lie in (0, 1000] BPM.");
    }
}
