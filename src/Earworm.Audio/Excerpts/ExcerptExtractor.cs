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
        var excerpts = new Excerpt[plan.Count];
        for (int i = 0; i < plan.Count; i++)
        {
            var w = plan[i];
            var logMel = computer.Compute(samples.Slice(checked((int)w.StartSample), w.SampleCount));
            excerpts[i] = new Excerpt(w.StartSample, computer.FrameCount(w.SampleCount), logMel);
        }
        return new ExcerptSet(o.SampleRate, o.HopLength, o.MelBands, excerpts);
    }
}
