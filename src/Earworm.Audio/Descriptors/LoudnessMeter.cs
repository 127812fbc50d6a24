namespace Earworm.Audio.Descriptors;

/// <summary>
/// What <see cref="LoudnessMeter"/> measured.
/// </summary>
/// <param name="IntegratedLufs">Gated integrated loudness, LUFS (ITU-R BS.1770-4); null when no
/// 400 ms block reaches the −70 LUFS absolute gate (silence, or shorter than 400 ms).</param>
/// <param name="LoudnessRangeLu">Loudness range, LU (EBU Tech 3342); 0 when fewer than two 3 s
/// blocks pass the gates.</param>
/// <param name="DynamicComplexityLu">Mean absolute deviation of the momentary loudness from its
/// loud-weighted mean, LU (after Streich 2007 / Essentia's DynamicComplexity); 0 for silence.</param>
/// <param name="MomentaryBlockCount">Complete 400 ms blocks measured.</param>
/// <param name="UngatedLufs">Loudness of the K-weighted mean square of the whole signal, without
/// blocks or gates (so also for signals shorter than a block); null when it is all zero.</param>
public sealed record LoudnessResult(double? IntegratedLufs, double LoudnessRangeLu, double DynamicComplexityLu, int MomentaryBlockCount, double? UngatedLufs);

/// <summary>
/// Streaming loudness meter for one channel: integrated loudness (ITU-R BS.1770-4 / EBU R 128),
/// loudness range (EBU Tech 3342) and dynamic complexity, from K-weighted mean squares of
/// consecutive 100 ms sub-blocks (so the meter keeps 10 numbers per second, never the signal).
/// </summary>
/// <remarks>
/// <para><b>Integrated loudness.</b> Gating blocks of 400 ms start every 100 ms (75 % overlap);
/// block j has loudness l_j = −0.691 + 10·log10(z_j), z_j its K-weighted mean square. Blocks below
/// the absolute gate −70 LUFS are dropped; the relative gate is 10 LU below the loudness of the
/// mean z of the remaining blocks; the result is the loudness of the mean z of the blocks above
/// both gates. A 100 ms sub-block is round(0.1·fs) samples, as libebur128; a last incomplete block
/// is not counted.</para>
/// <para><b>Loudness range.</b> Short-term loudness over 3 s blocks every 100 ms; absolute gate
/// −70 LUFS; relative gate 20 LU below the loudness of the mean z of those blocks; LRA is the
/// difference between the 95th and the 10th percentiles of the gated short-term loudnesses, each
/// taken as the sorted value at index round((n − 1)·p), as the reference code of Tech 3342.</para>
/// <para><b>One channel.</b> BS.1770 sums the K-weighted powers of the channels (weight 1 for L and
/// R). Earworm decodes to mono with ffmpeg's <c>-ac 1</c>, m = (L + R)/√2. For identical channels
/// (a centred source) the mono power m² = 2L² equals that sum exactly, so mono loudness equals
/// the stereo loudness; for uncorrelated channels of equal power the mono reads 3 dB lower
/// (E[m²] = (L² + R²)/2), and real mixes lie between (wide stereo reads up to 3 LU low). Tests feed
/// the EBU signals as the decoder delivers them.</para>
/// <para><b>Dynamic complexity.</b> Streich (2007), as Essentia's DynamicComplexity, but on the
/// BS.1770 momentary loudness (K-weighted 400 ms blocks every 100 ms) instead of Essentia's
/// B-weighted, smoothed 200 ms frames: leading and trailing blocks below −70 LUFS are dropped, the
/// rest floored at −90; the global level is their mean weighted by 0.9^(−l) (loud blocks count
/// more), and the result is the mean absolute deviation of the block loudness from it, in LU.</para>
/// Not thread-safe: one meter per stream.
/// </remarks>
public sealed class LoudnessMeter
{
    /// <summary>Absolute gate of BS.1770-4 and Tech 3342, LUFS.</summary>
    public const double AbsoluteGateLufs = -70;

    /// <summary>Relative gate of the integrated loudness, LU below the abs-gated level.</summary>
    public const double IntegratedRelativeGateLu = -10;

    /// <summary>Relative gate of the loudness range, LU below the abs-gated short-term level.</summary>
    public const double RangeRelativeGateLu = -20;

    private const int Piece = 2048;
    private const int SubBlocksPerMomentary = 4;   // 400 ms
    private const int SubBlocksPerShortTerm = 30;  // 3 s

    private readonly KWeightingFilter _filter;
    private readonly int _subBlockLength;
    private readonly float[] _weighted = new float[Piece];
    private readonly List<double> _subBlockMeanSquares = [];
    private double _sum;
    private int _count;
    private double _totalSum;
    private long _totalCount;

    /// <summary>A meter for mono PCM at <paramref name="sampleRate"/> Hz.</summary>
    public LoudnessMeter(double sampleRate)
    {
        _filter = new KWeightingFilter(sampleRate);
        _subBlockLength = (int)Math.Round(sampleRate / 10);
    }

    /// <summary>The K-weighting in use.</summary>
    public KWeightingFilter Filter => _filter;

    /// <summary>Loudness of a K-weighted mean square: −0.691 + 10·log10(z), LUFS (−∞ for 0).</summary>
    public static double Lufs(double meanSquare) => -0.691 + 10 * Math.Log10(meanSquare);

    /// <summary>Feeds the next samples (any number, full-scale ±1).</summary>
    public void Push(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            int n = Math.Min(Piece, samples.Length);
            var y = _weighted.AsSpan(0, n);
            _filter.Process(samples[..n], y);
            samples = samples[n..];
            while (!y.IsEmpty)
            {
                int take = Math.Min(_subBlockLength - _count, y.Length);
                double squares = SquaredSum(y[..take]);
                _sum += squares;
                _totalSum += squares;
                _totalCount += take;
                _count += take;
                y = y[take..];
                if (_count == _subBlockLength)
                {
                    _subBlockMeanSquares.Add(_sum / _subBlockLength);
                    _sum = 0;
                    _count = 0;
                }
            }
        }
    }

    /// <summary>The measurements over everything pushed so far (the meter can go on after).</summary>
    public LoudnessResult Result()
    {
        var momentary = BlockMeanSquares(SubBlocksPerMomentary);
        double? integrated = GatedLoudness(momentary, IntegratedRelativeGateLu, out _);
        var shortTerm = BlockMeanSquares(SubBlocksPerShortTerm);
        double range = LoudnessRange(shortTerm);
        double complexity = DynamicComplexity(momentary);
        double? ungated = _totalSum > 0 ? Lufs(_totalSum / _totalCount) : null;
        return new LoudnessResult(integrated, range, complexity, momentary.Length, ungated);
    }

    /// <summary>K-weighted mean squares of the blocks of <paramref name="subBlocks"/> × 100 ms, one every 100 ms.</summary>
    internal double[] BlockMeanSquares(int subBlocks)
    {
        int count = _subBlockMeanSquares.Count - subBlocks + 1;
        if (count <= 0) return [];
        var blocks = new double[count];
        // Each block summed afresh (≤ 30 terms) rather than by a running sum, which would drift.
        for (int j = 0; j < count; j++)
        {
            double sum = 0;
            for (int i = 0; i < subBlocks; i++) sum += _subBlockMeanSquares[j + i];
            blocks[j] = sum / subBlocks;
        }
        return blocks;
    }

    // BS.1770-4 gating: absolute −70 LUFS, then relative to the abs-gated level. Null when nothing passes.
    internal static double? GatedLoudness(double[] blocks, double relativeGateLu, out double relativeGateLufs)
    {
        relativeGateLufs = double.NegativeInfinity;
        double sum = 0;
        int n = 0;
        foreach (double z in blocks)
        {
            if (Lufs(z) > AbsoluteGateLufs) { sum += z; n++; }
        }
        if (n == 0) return null;
        relativeGateLufs = Lufs(sum / n) + relativeGateLu;
        double gatedSum = 0;
        int gated = 0;
        foreach (double z in blocks)
        {
            double l = Lufs(z);
            if (l > AbsoluteGateLufs && l > relativeGateLufs) { gatedSum += z; gated++; }
        }
        return gated == 0 ? null : Lufs(gatedSum / gated);
    }

    // EBU Tech 3342: P95 − P10 of the short-term loudness above both gates.
    internal static double LoudnessRange(double[] shortTerm)
    {
        if (GatedLoudness(shortTerm, RangeRelativeGateLu, out double gate) is null) return 0;
        var kept = new List<double>(shortTerm.Length);
        foreach (double z in shortTerm)
        {
            double l = Lufs(z);
            if (l > AbsoluteGateLufs && l > gate) kept.Add(l);
        }
        if (kept.Count < 2) return 0;
        kept.Sort();
        double low = kept[(int)Math.Round((kept.Count - 1) * 0.10)];
        double high = kept[(int)Math.Round((kept.Count - 1) * 0.95)];
        return Math.Max(0, high - low);
    }

    internal static double DynamicComplexity(double[] momentary)
    {
        int first = 0, last = momentary.Length - 1;
        while (first <= last && !(Lufs(momentary[first]) > AbsoluteGateLufs)) first++;
        while (last >= first && !(Lufs(momentary[last]) > AbsoluteGateLufs)) last--;
        if (first > last) return 0;
        int n = last - first + 1;
        var levels = new double[n];
        for (int i = 0; i < n; i++) levels[i] = Math.Max(-90, Lufs(momentary[first + i]));
        // Weights 0.9^(−l), normalised; computed relative to the loudest block so they cannot overflow.
        double loudest = levels.Max();
        double weightSum = 0, weighted = 0;
        foreach (double l in levels)
        {
            double w = Math.Pow(0.9, loudest - l);
            weightSum += w;
            weighted += w * l;
        }
        double level = weighted / weightSum;
        double deviation = 0;
        foreach (double l in levels) deviation += Math.Abs(l - level);
        return deviation / n;
    }

    private static double SquaredSum(ReadOnlySpan<float> y) => SpanMath.SumOfSquares(y);
}
