namespace Earworm.Audio.Synthesis;

/// <summary>
/// A synthesised track: interleaved stereo float32 in [−1, 1], with the spec it came from and the
/// beat grid it was built on, so tempo and beat trackers can be scored against the truth.
/// </summary>
public sealed class RenderedTrack
{
    internal RenderedTrack(TrackSpec spec, int sampleRate, float[] samples, IReadOnlyList<double> beatTimesSeconds, int beatsPerBar)
    {
        Spec = spec;
        SampleRate = sampleRate;
        Samples = samples;
        BeatTimesSeconds = beatTimesSeconds;
        BeatsPerBar = beatsPerBar;
    }

    /// <summary>What was rendered.</summary>
    public TrackSpec Spec { get; }

    /// <summary>Samples per second per channel.</summary>
    public int SampleRate { get; }

    /// <summary>Always 2: left and right.</summary>
    public int Channels => 2;

    /// <summary>Interleaved L, R samples, <see cref="FrameCount"/> × 2 of them. The caller owns the array.</summary>
    public float[] Samples { get; }

    /// <summary>Frames (samples per channel): round(DurationSeconds × SampleRate).</summary>
    public int FrameCount => Samples.Length / 2;

    /// <summary>Exact length, FrameCount / SampleRate, seconds.</summary>
    public double DurationSeconds => (double)FrameCount / SampleRate;

    /// <summary>Time of every beat of the grid inside the track, seconds from the start; consecutive
    /// beats are exactly 60 / TempoBpm apart. Notes and drums start on the sample nearest these times.</summary>
    public IReadOnlyList<double> BeatTimesSeconds { get; }

    /// <summary>Metre: beats in a bar (4 or 3). Beat 0 is a downbeat.</summary>
    public int BeatsPerBar { get; }

    /// <summary>Times of the first beat of every bar, seconds.</summary>
    public IReadOnlyList<double> DownbeatTimesSeconds =>
        [.. BeatTimesSeconds.Where((_, i) => i % BeatsPerBar == 0)];

    /// <summary>Mono mix, (L + R) / 2, one sample per frame.</summary>
    public float[] ToMono()
    {
        var mono = new float[FrameCount];
        for (int i = 0; i < mono.Length; i++) mono[i] = 0.5f * (Samples[2 * i] + Samples[2 * i + 1]);
        return mono;
    }
}
