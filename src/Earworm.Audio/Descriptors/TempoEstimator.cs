namespace Earworm.Audio.Descriptors;

/// <summary>A global tempo estimate.</summary>
/// <param name="Bpm">Beats per minute.</param>
/// <param name="Confidence">Normalised (smoothed) autocorrelation of the onset envelope at the beat
/// period, clamped to [0, 1]: near 1 for a metronome, near 0 when nothing repeats.</param>
/// <param name="PeriodFrames">The beat period in envelope frames (fractional).</param>
/// <param name="DoubledFromBpm">When the double-time rule replaced the prior's choice, the tempo
/// the prior had chosen; null otherwise.</param>
public sealed record TempoEstimate(double Bpm, double Confidence, double PeriodFrames, double? DoubledFromBpm);

/// <summary>Parameters of <see cref="TempoEstimator"/>; the defaults are documented on each.</summary>
public sealed record TempoOptions
{
    /// <summary>Slowest tempo considered, BPM. Default 40.</summary>
    public double MinBpm { get; init; } = 40;

    /// <summary>Fastest tempo considered, BPM. Default 240.</summary>
    public double MaxBpm { get; init; } = 240;

    /// <summary>Centre of the log-Gaussian tempo prior, BPM. Default 120 (librosa's start_bpm, Ellis 2007).</summary>
    public double PriorCentreBpm { get; init; } = 120;

    /// <summary>Standard deviation of the prior in octaves. Default 1 (librosa's std_bpm).</summary>
    public double PriorOctaves { get; init; } = 1.0;

    /// <summary>The double-time rule halves the period when the comb salience of the half period is
    /// at least this fraction of the period's. Default 0.55 (0.5 means nothing at all happens
    /// half-way between the beats, 1 that the half-way onsets are as regular as the beats).</summary>
    public double DoubleTimeRatio { get; init; } = 0.55;

    /// <summary>The double-time rule only produces tempi from this… Default 160 BPM.</summary>
    public double MinDoubleTimeBpm { get; init; } = 160;

    /// <summary>… to this, BPM. Default 200: above it a pulse is felt as subdivisions (eighth
    /// notes), not as the beat.</summary>
    public double MaxDoubleTimeBpm { get; init; } = 200;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(MinBpm > 0 && MaxBpm > MinBpm)) throw new ArgumentException($"Need 0 < MinBpm < MaxBpm, got {MinBpm}, {MaxBpm}.");
        if (!(PriorCentreBpm > 0)) throw new ArgumentException($"PriorCentreBpm must be positive, got {PriorCentreBpm}.");
        if (!(PriorOctaves > 0)) throw new ArgumentException($"PriorOctaves must be positive, got {PriorOctaves}.");
        if (!(DoubleTimeRatio > 0)) throw new ArgumentException($"DoubleTimeRatio must be positive, got {DoubleTimeRatio}.");
        if (!(MinDoubleTimeBpm > 0 && MaxDoubleTimeBpm >= MinDoubleTimeBpm))
            throw new ArgumentException($"Need 0 < MinDoubleTimeBpm ≤ MaxDoubleTimeBpm, got {MinDoubleTimeBpm} and {MaxDoubleTimeBpm}.");
    }
}

/// <summary>
/// Global tempo from an onset-strength envelope by autocorrelation with a tempo prior, in the
/// manner of Ellis (2007, "Beat tracking by dynamic programming", J. New Music Research 36(1)) and
/// librosa's <c>feature.tempo</c>, with comb salience, an explicit octave rule and a sub-frame
/// refinement.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The envelope minus its mean is autocorrelated for lags up to half its length, unbiased
///   (each lag's sum divided by its number of terms, so a periodic envelope has equal peaks at every
///   multiple of its period), smoothed across lags by a Gaussian of σ = 1.5 lags (onsets fall on
///   whole frames, so a period of 18.46 frames shows as pairs 18 and 19 frames apart and its raw
///   peak is split in two while a period of 36.9 frames stays whole) and normalised by lag 0.</item>
/// <item>Every local maximum between the lags of <see cref="TempoOptions.MaxBpm"/> and
///   <see cref="TempoOptions.MinBpm"/> (position from a parabola through it and its neighbours) is
///   scored by its comb salience — the mean of the largest autocorrelation near each of its first
///   four multiples, so that a period is judged by the whole pulse train and not by one lag —
///   times the log-Gaussian prior exp(−½(log2(bpm/120)/1)²); the best score wins.</item>
/// <item>Octave errors: a periodic pattern is as regular at 2P, 4P… as at P, and the prior settles
///   which is the beat; alone it prefers 87 BPM to 174 when both fit, and drum and bass, whose
///   snare falls on every other beat, is then counted at half time. So when the half period gives
///   a tempo between <see cref="TempoOptions.MinDoubleTimeBpm"/> (160) and
///   <see cref="TempoOptions.MaxDoubleTimeBpm"/> (200) and its comb salience (over eight multiples
///   of P/2, which cover the same lags) is at least <see cref="TempoOptions.DoubleTimeRatio"/> (0.55)
///   of the period's — there are onsets half-way between the beats, at least a tenth as regular as
///   the beats themselves — the period is halved. A 90 BPM click or drum track keeps 90 (nothing,
///   or only a faint hi-hat below 2.7 kHz, happens half-way); a 174 BPM break becomes 174.
///   The zone keeps the rule away from slower music, where eighth notes are subdivisions.</item>
/// <item>Refinement: the autocorrelation peaks near k·P for k = 2…8 (within the available lags)
///   are located to a fraction of a frame, each search centred on the estimate so far, and P is
///   the least-squares slope Σ k·lag_k / Σ k² through them and P itself, so an envelope at 23 ms
///   per frame gives the tempo to a small fraction of a percent.</item>
/// </list>
/// Known weakness: music with no drums whose eighth notes carry the pulse (a piano ballad with a
/// broken-chord accompaniment) is often read at double time, 140 for 70.
/// </remarks>
public static class TempoEstimator
{
    private const int MaxMultiple = 8;
    private const double SmoothingLags = 1.5;
    private const int CombMultiples = 4;

    /// <summary>The tempo of <paramref name="envelope"/> (values at <paramref name="framesPerSecond"/>);
    /// null when it is too short (under two periods of the slowest tempo) or constant.</summary>
    public static TempoEstimate? Estimate(ReadOnlySpan<double> envelope, double framesPerSecond, TempoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!(framesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "Frame rate must be positive.");
        int n = envelope.Length;
        double minLag = 60 * framesPerSecond / options.MaxBpm;
        double maxLag = 60 * framesPerSecond / options.MinBpm;
        // Lags up to half the envelope, and no further than the refinement's eighth multiple of the
        // slowest period needs (so the cost stays linear in the track's length).
        int lags = Math.Min(n / 2, (int)Math.Ceiling(MaxMultiple * maxLag * 1.2) + 4);
        if (lags < (int)Math.Ceiling(minLag) + 2) return null;

        // 1. Smoothed, normalised autocorrelation.
        var acf = Autocorrelation(envelope, lags);
        if (acf is null) return null;

        // 2. The heaviest prior-weighted peak, its height taken over its multiples (comb).
        double bestScore = double.NegativeInfinity, bestLag = 0, bestHeight = 0;
        int last = Math.Min(acf.Length - 2, (int)Math.Ceiling(maxLag));
        for (int l = Math.Max(1, (int)Math.Floor(minLag)); l <= last; l++)
        {
            if (!(acf[l] > acf[l - 1] && acf[l] >= acf[l + 1])) continue;
            var (lag, height) = Parabola(acf, l);
            if (lag < minLag || lag > maxLag || height <= 0) continue;
            double salience = Comb(acf, lag, CombMultiples);
            double score = salience * Prior(60 * framesPerSecond / lag, options);
            if (score > bestScore) (bestScore, bestLag, bestHeight) = (score, lag, height);
        }
        if (bestLag == 0) return null;

        // 3. Double time, within the zone.
        double? doubledFrom = null;
        double minDoubleLag = 60 * framesPerSecond / Math.Min(options.MaxDoubleTimeBpm, options.MaxBpm);
        double maxDoubleLag = 60 * framesPerSecond / options.MinDoubleTimeBpm;
        while (bestLag / 2 >= minDoubleLag && bestLag / 2 <= maxDoubleLag)
        {
            double slow = Comb(acf, bestLag, CombMultiples);
            double fast = Comb(acf, bestLag / 2, 2 * CombMultiples);
            if (!(fast >= options.DoubleTimeRatio * slow)) break;
            var half = PeakNear(acf, bestLag / 2);
            doubledFrom ??= 60 * framesPerSecond / bestLag;
            (bestLag, bestHeight) = half ?? (bestLag / 2, Math.Max(0, MaxNear(acf, bestLag / 2)));
        }

        // 4. Refinement from the multiples.
        double period = Refine(acf, bestLag);
        double confidence = Math.Clamp(bestHeight, 0, 1);
        return new TempoEstimate(60 * framesPerSecond / period, confidence, period, doubledFrom);
    }

    /// <summary>The log-Gaussian prior weight of a tempo, 1 at the centre.</summary>
    public static double Prior(double bpm, TempoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double octaves = Math.Log2(bpm / options.PriorCentreBpm) / options.PriorOctaves;
        return Math.Exp(-0.5 * octaves * octaves);
    }

    // Unbiased autocorrelation of the mean-removed envelope, smoothed across lags by a Gaussian of
    // σ = 1.5 lags and normalised by (smoothed) lag 0; null if the envelope is constant.
    internal static double[]? Autocorrelation(ReadOnlySpan<double> envelope, int lags)
    {
        int n = envelope.Length;
        double mean = 0;
        foreach (double v in envelope) mean += v;
        mean /= n;
        var x = new double[n];
        for (int t = 0; t < n; t++) x[t] = envelope[t] - mean;
        var raw = new double[lags + 1];
        for (int l = 0; l <= lags; l++)
            raw[l] = SpanMath.Dot(x.AsSpan(0, n - l), x.AsSpan(l, n - l)) / (n - l);
        if (!(raw[0] > 1e-20)) return null;
        // Onsets fall on whole frames, so a period of 18.46 frames shows as pairs 18 and 19 frames
        // apart and its raw peak is split in two, while a period of 36.9 frames stays whole: the
        // smoothing gives both the same height. The ACF is even, so lag −l reads lag l.
        const int radius = 4;
        Span<double> kernel = stackalloc double[2 * radius + 1];
        for (int k = -radius; k <= radius; k++) kernel[k + radius] = Math.Exp(-0.5 * k * k / (SmoothingLags * SmoothingLags));
        var acf = new double[lags + 1];
        for (int l = 0; l <= lags; l++)
        {
            double sum = 0, weight = 0;
            for (int k = -radius; k <= radius; k++)
            {
                int j = Math.Abs(l + k);
                if (j > lags) continue;
                sum += kernel[k + radius] * raw[j];
                weight += kernel[k + radius];
            }
            acf[l] = sum / weight;
        }
        double zero = acf[0];
        if (!(zero > 1e-20)) return null;
        for (int l = 0; l <= lags; l++) acf[l] /= zero;
        return acf;
    }

    // Vertex of the parabola through (l−1, l, l+1).
    private static (double Lag, double Height) Parabola(double[] acf, int l)
    {
        double a = acf[l - 1], b = acf[l], c = acf[l + 1];
        double denominator = a - 2 * b + c;
        if (!(denominator < 0)) return (l, b);
        double delta = 0.5 * (a - c) / denominator;
        delta = Math.Clamp(delta, -0.5, 0.5);
        return (l + delta, b - 0.25 * (a - c) * delta);
    }

    // The highest local maximum within ±radius of a target lag (default ±max(1.5, 4 %)), interpolated; null if none.
    private static (double Lag, double Height)? PeakNear(double[] acf, double target, double radius = 0)
    {
        if (radius <= 0) radius = Math.Max(1.5, 0.04 * target);
        int lo = Math.Max(1, (int)Math.Floor(target - radius));
        int hi = Math.Min(acf.Length - 2, (int)Math.Ceiling(target + radius));
        (double, double)? best = null;
        for (int l = lo; l <= hi; l++)
        {
            if (!(acf[l] > acf[l - 1] && acf[l] >= acf[l + 1])) continue;
            var p = Parabola(acf, l);
            if (Math.Abs(p.Lag - target) > radius) continue;
            if (best is null || p.Height > best.Value.Item2) best = p;
        }
        return best;
    }

    // Mean of the largest autocorrelation within ±max(1, 2 %) of k·period, k = 1..multiples (those within reach).
    private static double Comb(double[] acf, double period, int multiples)
    {
        double sum = 0;
        int count = 0;
        for (int k = 1; k <= multiples && k * period + 1 < acf.Length; k++)
        {
            sum += MaxNear(acf, k * period);
            count++;
        }
        return count > 0 ? sum / count : 0;
    }

    private static double MaxNear(double[] acf, double lag)
    {
        double radius = Math.Max(1, 0.02 * lag);
        int lo = Math.Max(0, (int)Math.Floor(lag - radius)), hi = Math.Min(acf.Length - 1, (int)Math.Ceiling(lag + radius));
        double max = double.NegativeInfinity;
        for (int l = lo; l <= hi; l++) max = Math.Max(max, acf[l]);
        return max;
    }

    // Least-squares period through the peaks near k·P, k = 1..8; each search is centred on the
    // estimate from the multiples found so far, so the window stays narrow at large k.
    private static double Refine(double[] acf, double period)
    {
        double numerator = period, denominator = 1, estimate = period;
        for (int k = 2; k <= MaxMultiple && k * estimate + 2 < acf.Length; k++)
        {
            var peak = PeakNear(acf, k * estimate, Math.Max(1.5, 0.15 * estimate));
            if (peak is null) continue;
            numerator += k * peak.Value.Lag;
            denominator += (double)k * k;
            estimate = numerator / denominator;
        }
        return estimate;
    }
}
