namespace Earworm.Audio.Descriptors;

/// <summary>
/// Beat tracking by dynamic programming (Ellis 2007, "Beat tracking by dynamic programming",
/// J. New Music Research 36(1)), following librosa's <c>beat.beat_track</c> step by step: given the
/// tempo, choose the beat times that maximise the onset strength on the beats minus a penalty,
/// tightness·log²(interval/period), for every interval that departs from the beat period.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The envelope is divided by its standard deviation (ddof 1) and smoothed with a Gaussian of
///   σ = period/32 spanning ±1 period (the "local score").</item>
/// <item>cumscore[t] = local[t] + max over predecessors p ∈ [t − 2P, t − round(P/2)] of
///   cumscore[p] − tightness·log²((t − p)/P), remembering the best p; until the first frame whose
///   local score reaches 1 % of the maximum, frames start a new chain.</item>
/// <item>The last beat is the last local maximum of cumscore above half the median of its local
///   maxima; the chain is followed back from it.</item>
/// <item>Leading and trailing beats whose local score is below half the RMS of the local score at the
///   beats (smoothed by a 5-point Hann window) are trimmed.</item>
/// </list>
/// Beat times are frame times t/fps, so their resolution is one envelope frame.
/// </remarks>
public static class BeatTracker
{
    /// <summary>Default tightness (librosa's): how strongly intervals are held to the period.</summary>
    public const double DefaultTightness = 100;

    /// <summary>Beat times in seconds of <paramref name="envelope"/> at <paramref name="framesPerSecond"/>
    /// for a tempo of <paramref name="bpm"/>; empty when the envelope is empty or constant zero.</summary>
    public static double[] Track(ReadOnlySpan<double> envelope, double framesPerSecond, double bpm, double tightness = DefaultTightness)
    {
        if (!(framesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "Frame rate must be positive.");
        if (!(bpm > 0)) throw new ArgumentOutOfRangeException(nameof(bpm), bpm, "Tempo must be positive.");
        int n = envelope.Length;
        if (n < 3) return [];
        double period = 60 * framesPerSecond / bpm;
        int periodFrames = Math.Max(1, (int)Math.Round(period));

        var local = LocalScore(envelope, periodFrames);
        if (local is null) return [];
        double localMax = local.Max();
        if (!(localMax > 0)) return [];

        // Dynamic programme.
        int from = 2 * periodFrames, to = Math.Max(1, (int)Math.Round(periodFrames / 2.0));
        var penalty = new double[from - to + 1];           // for interval d = from..to (descending)
        for (int i = 0; i < penalty.Length; i++)
        {
            double interval = from - i;
            double log = Math.Log(interval / period);
            penalty[i] = -tightness * log * log;
        }
        var cumulative = new double[n];
        var backlink = new int[n];
        bool firstBeat = true;
        for (int t = 0; t < n; t++)
        {
            double best = double.NegativeInfinity;
            int bestPredecessor = -1;
            for (int i = 0; i < penalty.Length; i++)
            {
                int p = t - (from - i);
                double candidate = p >= 0 ? penalty[i] + cumulative[p] : penalty[i];
                if (candidate > best) (best, bestPredecessor) = (candidate, p);
            }
            cumulative[t] = local[t] + best;
            if (firstBeat && local[t] < 0.01 * localMax)
            {
                backlink[t] = -1;
            }
            else
            {
                backlink[t] = bestPredecessor;
                firstBeat = false;
            }
        }

        int lastBeat = LastBeat(cumulative);
        if (lastBeat < 0) return [];
        var beats = new List<int>();
        for (int b = lastBeat; b >= 0; b = backlink[b]) beats.Add(b);
        beats.Reverse();

        var trimmed = Trim(beats, local);
        var times = new double[trimmed.Count];
        for (int i = 0; i < times.Length; i++) times[i] = trimmed[i] / framesPerSecond;
        return times;
    }

    // The envelope normalised by its standard deviation, convolved ('same') with exp(−½(32k/P)²), |k| ≤ P.
    private static double[]? LocalScore(ReadOnlySpan<double> envelope, int period)
    {
        int n = envelope.Length;
        double mean = 0;
        foreach (double v in envelope) mean += v;
        mean /= n;
        double variance = 0;
        foreach (double v in envelope) variance += (v - mean) * (v - mean);
        double std = Math.Sqrt(variance / (n - 1));
        if (!(std > 1e-20)) return null;
        var kernel = new double[2 * period + 1];
        for (int k = -period; k <= period; k++)
        {
            double z = k * 32.0 / period;
            kernel[k + period] = Math.Exp(-0.5 * z * z);
        }
        var local = new double[n];
        for (int t = 0; t < n; t++)
        {
            double sum = 0;
            int lo = Math.Max(-period, t - (n - 1)), hi = Math.Min(period, t);
            for (int k = lo; k <= hi; k++) sum += kernel[k + period] * envelope[t - k];
            local[t] = sum / std;
        }
        return local;
    }

    // The last local maximum of cumscore above half the median of its local maxima.
    private static int LastBeat(double[] cumulative)
    {
        var maxima = new List<int>();
        for (int t = 0; t < cumulative.Length; t++)
        {
            bool left = t == 0 || cumulative[t] > cumulative[t - 1];
            bool right = t == cumulative.Length - 1 || cumulative[t] >= cumulative[t + 1];
            if (left && right) maxima.Add(t);
        }
        if (maxima.Count == 0) return cumulative.Length - 1;
        var values = maxima.Select(t => cumulative[t]).Order().ToArray();
        double median = values.Length % 2 == 1
            ? values[values.Length / 2]
            : 0.5 * (values[values.Length / 2 - 1] + values[values.Length / 2]);
        for (int i = maxima.Count - 1; i >= 0; i--)
        {
            if (2 * cumulative[maxima[i]] > median) return maxima[i];
        }
        return maxima[^1];
    }

    private static List<int> Trim(List<int> beats, double[] local)
    {
        if (beats.Count == 0) return beats;
        // Hann(5) symmetric = [0, 0.5, 1, 0.5, 0]: 'same' convolution of the local score at the beats.
        double[] hann = [0, 0.5, 1, 0.5, 0];
        double squares = 0;
        for (int i = 0; i < beats.Count; i++)
        {
            double s = 0;
            for (int k = -2; k <= 2; k++)
            {
                int j = i - k;
                if (j >= 0 && j < beats.Count) s += hann[k + 2] * local[beats[j]];
            }
            squares += s * s;
        }
        double threshold = 0.5 * Math.Sqrt(squares / beats.Count);
        int first = 0, last = beats.Count - 1;
        while (first <= last && local[beats[first]] <= threshold) first++;
        while (last >= first && local[beats[last]] <= threshold) last--;
        return beats.GetRange(first, Math.Max(0, last - first + 1));
    }
}
