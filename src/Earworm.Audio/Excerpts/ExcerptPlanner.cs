namespace Earworm.Audio.Excerpts;

/// <summary>Chooses which parts of a track the excerpt cache keeps. Pure: a function of lengths only.</summary>
public static class ExcerptPlanner
{
    /// <summary>
    /// The windows of a track of <paramref name="totalSamples"/> samples to keep, sorted, non-overlapping
    /// and inside the track.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>An empty track gives no window.</item>
    /// <item>A track not longer than the budget gives one window of the whole track: the cache then
    ///   holds every frame and the model can crop anywhere (splitting would only lose frames at the
    ///   window edges).</item>
    /// <item>A longer track gives k = floor(budget / window) windows of WindowSeconds, window i
    ///   centred at (i + 0.5)/k of the track (start rounded down), so they sample the whole track
    ///   evenly. The track is longer than k windows, so the windows never overlap.</item>
    /// </list>
    /// Durations become sample counts by rounding seconds × sample rate to the nearest sample.
    /// </remarks>
    public static IReadOnlyList<ExcerptWindow> Plan(long totalSamples, int sampleRate, ExcerptOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        long windowSamples = ToSamples(options.WindowSeconds, sampleRate, nameof(options.WindowSeconds));
        long budgetSamples = ToSamples(options.BudgetSeconds, sampleRate, nameof(options.BudgetSeconds));
        if (totalSamples == 0) return [];
        if (totalSamples <= budgetSamples) return [new ExcerptWindow(0, (int)totalSamples)];

        long count = budgetSamples / windowSamples; // ≥ 1 because Validate ensures budget ≥ window
        var windows = new ExcerptWindow[count];
        for (long i = 0; i < count; i++)
        {
            // start = floor(((2i+1)·total − k·w) / 2k), exact in 128-bit integers.
            Int128 numerator = (Int128)(2 * i + 1) * totalSamples - (Int128)count * windowSamples;
            long start = (long)(numerator / (2 * count));
            start = Math.Clamp(start, 0, totalSamples - windowSamples);
            windows[i] = new ExcerptWindow(start, (int)windowSamples);
        }
        return windows;
    }

    private static long ToSamples(double seconds, int sampleRate, string name)
    {
        double samples = Math.Round(seconds * sampleRate);
        if (samples < 1 || samples > int.MaxValue)
            throw new ArgumentException($"{name} of {seconds} s at {sampleRate} Hz is {samples} samples; it must be between 1 and {int.MaxValue}.");
        return (long)samples;
    }
}
