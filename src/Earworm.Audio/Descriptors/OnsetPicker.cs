namespace Earworm.Audio.Descriptors;

/// <summary>
/// Onset detection by peak picking on an onset-strength envelope, with librosa's
/// <c>onset.onset_detect</c> defaults (after Böck, Krebs &amp; Schedl 2012): the envelope is scaled
/// to [0, 1]; frame n is an onset when it is the maximum of the 30 ms before it and itself, exceeds
/// the mean of the 100 ms around it by 0.07, and comes more than 30 ms after the previous onset.
/// </summary>
public static class OnsetPicker
{
    /// <summary>Frame indices of the onsets in <paramref name="envelope"/>.</summary>
    public static int[] Pick(ReadOnlySpan<double> envelope, double framesPerSecond)
    {
        if (!(framesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "Frame rate must be positive.");
        int n = envelope.Length;
        if (n == 0) return [];
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in envelope) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (!(max > min)) return [];
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (envelope[i] - min) / (max - min);

        // librosa: pre_max = 0.03·fps, post_max = 0·fps + 1, pre_avg = 0.1·fps, post_avg = 0.1·fps + 1,
        // wait = 0.03·fps, all floored to whole frames; delta 0.07.
        int preMax = (int)(0.03 * framesPerSecond), postMax = 1;
        int preAverage = (int)(0.10 * framesPerSecond), postAverage = (int)(0.10 * framesPerSecond) + 1;
        int wait = (int)(0.03 * framesPerSecond);
        const double delta = 0.07;

        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
        var onsets = new List<int>();
        int lastOnset = -wait - 1;
        for (int i = 0; i < n; i++)
        {
            int lo = Math.Max(0, i - preMax), hi = Math.Min(n, i + postMax);
            bool isMax = true;
            for (int j = lo; j < hi; j++)
            {
                if (x[j] > x[i]) { isMax = false; break; }
            }
            if (!isMax) continue;
            int alo = Math.Max(0, i - preAverage), ahi = Math.Min(n, i + postAverage);
            double mean = (prefix[ahi] - prefix[alo]) / (ahi - alo);
            if (x[i] < mean + delta) continue;
            if (i - lastOnset <= wait) continue;
            onsets.Add(i);
            lastOnset = i;
        }
        return [.. onsets];
    }
}
