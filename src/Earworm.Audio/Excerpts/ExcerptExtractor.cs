using Earworm.Audio.Spectral;

namespace Earworm.Audio.Excerpts;

/// <summary>Builds a track's <see cref="ExcerptSet"/> from its decoded PCM.</summary>
public static class ExcerptExtractor
{
    /// <summary>
    /// Plans the windows of <paramref name="samples"/> (<see cref="ExcerptPlanner.Plan"/>) and
    /// computes each window's log-mel from the window's samples alone (centred frames with
    /// reflect padding at the window edges, as a training crop of that audio would be).
    /// </summary>
    /// <param name="samples">The whole track, mono at the computer's sample rate.</param>
    /// <param name="computer">The front end (not thread-safe: one per worker).</param>
    /// <param name="options">The excerpt budget.</param>
    public static ExcerptSet Extract(ReadOnlySpan<float> samples, LogMelComputer computer, ExcerptOptions options)
    {
        ArgumentNullException.ThrowIfNull(computer);
        var o = computer.Options;
        var plan = ExcerptPlanner.Plan(samples.Length, o.SampleRate, options);
        var windows = new List<(ExcerptWindow, float[])>(plan.Count);
        foreach (var w in plan) windows.Add((w, samples.Slice(checked((int)w.StartSample), w.SampleCount).ToArray()));
        return FromWindows(windows, computer);
    }

    /// <summary>
    /// Computes the log-mel of windows whose samples were gathered elsewhere (the scanner collects
    /// them from a PCM stream). A window holding less than one FFT frame of audio (the file ended
    /// before it) is left out.
    /// </summary>
    public static ExcerptSet FromWindows(IEnumerable<(ExcerptWindow Window, float[] Samples)> windows, LogMelComputer computer)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(computer);
        var o = computer.Options;
        var excerpts = new List<Excerpt>();
        foreach (var (window, samples) in windows)
        {
            if (samples.Length < o.FftSize) continue;
            excerpts.Add(new Excerpt(window.StartSample, computer.FrameCount(samples.Length), computer.Compute(samples)));
        }
        return new ExcerptSet(o.SampleRate, o.HopLength, o.MelBands, excerpts);
    }
}
