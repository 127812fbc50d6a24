namespace Earworm.Audio.Descriptors;

/// <summary>
/// The metrical-level decisions of <see cref="TempoEstimator"/> that the tempogram's peak and prior
/// alone get wrong: compound metre (the pulse grouped in threes) and double time.
/// </summary>
/// <remarks>
/// <para><b>Ternary grouping.</b> In 6/8 and 12/8 the beat is the dotted quarter, three eighth notes; at a
/// dotted quarter of 45–70 BPM the eighths (135–210 BPM) lie nearer the tempo prior's centre than the
/// beat, and a period of two eighths (the "quarter", no metrical level of the music at all) can win
/// too. The binary/ternary decision reads the tempogram at 2:1, 3:1 and 4:1 of a candidate pulse τ
/// (Gouyon &amp; Herrera 2003, "Determination of the meter of musical audio signals"; Klapuri, Eronen &amp;
/// Astola 2006 model the tatum–tactus ratio the same way): a pulse grouped in threes recurs more at
/// 3τ, where the accented first eighth of each group meets the next, than at 2τ or 4τ, where
/// accented eighths meet unaccented ones. Read from the tempogram as it is, long lags would lose:
/// each window's autocorrelation is tapered by its Hann window's own autocorrelation, so the values
/// compared are first divided by that taper (<see cref="Untapered"/>). The rule tries τ = P (the
/// prior's period is the eighth: the beat is 3P) and τ = P/2 (it is two eighths: the beat is 1.5P).</para>
/// <para><b>Double time.</b> A drum-and-bass break read at half tempo has its snare half-way between
/// the beats it counts; a rock beat read right has only the hi-hat or an eighth-note bass there.
/// <see cref="HalfBeatRatio"/> folds the onset envelope at the period, window by window, and compares
/// the strength half a period from the strongest phase with that phase's.</para>
/// </remarks>
public static class MetricalLevel
{
    private const int FoldBins = 24;

    /// <summary>The autocorrelation of a periodic Hann window of <paramref name="window"/> samples at lags
    /// 0..<paramref name="lags"/>, divided by its value at lag 0: the taper every tempogram value carries.</summary>
    public static double[] HannTaper(int window, int lags)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        var w = SpanMath.PeriodicHann(window);
        var taper = new double[Math.Min(lags, window - 1) + 1];
        double zero = SpanMath.Dot(w, w);
        for (int l = 0; l < taper.Length; l++) taper[l] = SpanMath.Dot(w.AsSpan(0, window - l), w.AsSpan(l, window - l)) / zero;
        return taper;
    }

    /// <summary>The tempogram's largest value within ±max(1, 2 %) of <paramref name="lag"/>, each divided by the
    /// window taper at its lag; NaN beyond the tempogram or where the taper is under 0.1.</summary>
    public static double Untapered(ReadOnlySpan<double> tempogram, ReadOnlySpan<double> taper, double lag)
    {
        double radius = Math.Max(1, 0.02 * lag);
        int lo = Math.Max(0, (int)Math.Floor(lag - radius)), hi = (int)Math.Ceiling(lag + radius);
        if (hi >= tempogram.Length || hi >= taper.Length || taper[hi] < 0.1) return double.NaN;
        double max = double.NegativeInfinity;
        for (int l = lo; l <= hi; l++) max = Math.Max(max, tempogram[l] / taper[l]);
        return max;
    }

    /// <summary>
    /// How much more a pulse of period <paramref name="tau"/> recurs in groups of three than of two or
    /// four: T(3τ) − max(T(2τ), T(4τ)), untapered; NaN when 4τ lies beyond the tempogram. Above about
    /// 0.15 the pulse is grouped in threes (compound metre); binary music gives values at or below 0.
    /// </summary>
    public static double TernaryContrast(ReadOnlySpan<double> tempogram, ReadOnlySpan<double> taper, double tau) =>
        Untapered(tempogram, taper, 3 * tau) - Math.Max(Untapered(tempogram, taper, 2 * tau), Untapered(tempogram, taper, 4 * tau));

    /// <summary>
    /// The beat period when the period <paramref name="lag"/> the prior chose is a subdivision of a
    /// ternary beat: 3·lag when the lag is grouped in threes, 1.5·lag when half the lag is; null
    /// otherwise, or when that beat would lie outside <paramref name="minLag"/>..<paramref name="maxLag"/>.
    /// A beat needs a contrast of at least <paramref name="margin"/> and its own untapered recurrence at
    /// least <paramref name="minGroupSalience"/> (a clear pulse at the dotted level).
    /// </summary>
    public static double? TernaryBeat(ReadOnlySpan<double> tempogram, ReadOnlySpan<double> taper, double lag,
        double minLag, double maxLag, double margin, double minGroupSalience)
    {
        foreach (double tau in (ReadOnlySpan<double>)[lag, lag / 2])
        {
            double beat = 3 * tau;
            if (beat < minLag || beat > maxLag) continue;
            double contrast = TernaryContrast(tempogram, taper, tau);
            if (contrast >= margin && Untapered(tempogram, taper, beat) >= minGroupSalience) return beat;
        }
        return null;
    }

    /// <summary>
    /// The onset strength half a period from the beat relative to the beat's, 0..1 (or more, when the
    /// strongest onsets fall half-way): the envelope folded at <paramref name="period"/> frames into 24
    /// phase bins within each <paramref name="window"/>-frame window (every <paramref name="hop"/>
    /// frames; phase drifts little within one), smoothed (¼, ½, ¼ around the circle), the value
    /// opposite the strongest bin divided by it, averaged over windows weighted by their total strength.
    /// A click track gives 0; a rock beat counted at half tempo (its snare half-way) about 0.5.
    /// </summary>
    public static double HalfBeatRatio(ReadOnlySpan<double> envelope, double period, int window, int hop)
    {
        if (!(period >= 2)) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 2 frames.");
        int n = envelope.Length;
        window = Math.Min(window, n);
        if (window < 1) return 0;
        Span<double> profile = stackalloc double[FoldBins];
        Span<int> counts = stackalloc int[FoldBins];
        Span<double> smooth = stackalloc double[FoldBins];
        double weighted = 0, weights = 0;
        for (int start = 0; ; start += hop)
        {
            int s = Math.Min(start, n - window);
            profile.Clear();
            counts.Clear();
            double total = 0;
            for (int t = s; t < s + window; t++)
            {
                int bin = (int)(t % period / period * FoldBins) % FoldBins;
                profile[bin] += envelope[t];
                counts[bin]++;
                total += envelope[t];
            }
            for (int b = 0; b < FoldBins; b++) profile[b] = counts[b] > 0 ? profile[b] / counts[b] : 0;
            int best = 0;
            for (int b = 0; b < FoldBins; b++)
            {
                smooth[b] = 0.25 * profile[(b + FoldBins - 1) % FoldBins] + 0.5 * profile[b] + 0.25 * profile[(b + 1) % FoldBins];
                if (smooth[b] > smooth[best]) best = b;
            }
            if (smooth[best] > 0 && total > 0)
            {
                weighted += total * smooth[(best + FoldBins / 2) % FoldBins] / smooth[best];
                weights += total;
            }
            if (s + window >= n) break;
        }
        return weights > 0 ? weighted / weights : 0;
    }
}
