namespace Earworm.Content.Data;

/// <summary>How much a contrastive view of a crop is altered (values in dB, mel bands and frames; 0 turns one off).
/// The defaults are the original per-library recipe (gain, equalisation, a small shift); the pretrained encoder's
/// recipe adds the others (see <c>models/encoder/MODEL_CARD.md</c>).</summary>
public sealed record AugmentationOptions
{
    /// <summary>A uniform gain in ±GainDb added to every value. Default 6 dB.</summary>
    public double GainDb { get; init; } = 6;

    /// <summary>Equalisation: a random spectral tilt in ±EqualisationDb across the bands plus one bell of ±EqualisationDb
    /// at a random band (width 4–24 bands). Default 6 dB.</summary>
    public double EqualisationDb { get; init; } = 6;

    /// <summary>A small time shift of up to ±TimeShiftFrames, the edge frame repeated. Default 4 frames (≈ 93 ms).</summary>
    public int TimeShiftFrames { get; init; } = 4;

    /// <summary>Pitch shift: the spectrum moved by up to ±PitchShiftBands mel bands (fractional, linear interpolation).
    /// Above 1 kHz a band of the Slaney scale is about 0.46 semitone, so 4 bands ≈ ±2 semitones. Default 0.</summary>
    public double PitchShiftBands { get; init; }

    /// <summary>Time stretch: the crop read from between T/(1+s) and T·(1+s) frames of the window and resampled to T
    /// (tempo changed by up to that factor). Default 0.</summary>
    public double TimeStretch { get; init; }

    /// <summary>Probability that another track's crop is mixed in (power sum), its mean level
    /// <see cref="MixMinDb"/>–<see cref="MixMaxDb"/> below the view's. Default 0.</summary>
    public double MixProbability { get; init; }

    public double MixMinDb { get; init; } = 10;

    public double MixMaxDb { get; init; } = 20;

    /// <summary>Probability that white noise is added (power sum), its level <see cref="NoiseMinSnrDb"/>–
    /// <see cref="NoiseMaxSnrDb"/> below the view's mean level. Default 0.</summary>
    public double NoiseProbability { get; init; }

    public double NoiseMinSnrDb { get; init; } = 10;

    public double NoiseMaxSnrDb { get; init; } = 30;

    /// <summary>SpecAugment (Park et al. 2019): this many frequency masks of up to <see cref="FrequencyMaskBands"/>
    /// bands and time masks of up to <see cref="TimeMaskFrames"/> frames, filled with the crop's mean. Default none.</summary>
    public int FrequencyMasks { get; init; }

    public int FrequencyMaskBands { get; init; } = 16;

    public int TimeMasks { get; init; }

    public int TimeMaskFrames { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (GainDb < 0 || EqualisationDb < 0 || TimeShiftFrames < 0 || PitchShiftBands < 0 || TimeStretch is < 0 or >= 1)
            throw new ArgumentException("augmentation amounts must not be negative (time stretch below 1)");
        if (MixProbability is < 0 or > 1 || NoiseProbability is < 0 or > 1)
            throw new ArgumentException("augmentation probabilities must lie in [0, 1]");
        if (MixMinDb > MixMaxDb || NoiseMinSnrDb > NoiseMaxSnrDb) throw new ArgumentException("a level range's minimum exceeds its maximum");
        if (FrequencyMasks < 0 || TimeMasks < 0 || FrequencyMaskBands < 1 || TimeMaskFrames < 1)
            throw new ArgumentException("SpecAugment mask counts must not be negative and widths must be positive");
    }
}

/// <summary>Augmentations of a log-mel crop <c>(n_mels, T)</c> in dB, in place (SimCLR-style views for NT-Xent).
/// Sums of sounds are power sums, done in dB (<see cref="PowerSum"/>).</summary>
public static class Augmentation
{
    /// <summary>Every augmentation but the time stretch (which happens as the crop is read: <see cref="Stretch"/>)
    /// and the mixing (<see cref="MixIn"/>, which needs another track).</summary>
    public static void Apply(Span<float> crop, int melBands, int frames, AugmentationOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (options.TimeShiftFrames > 0) Shift(crop, melBands, frames, rng.Next(-options.TimeShiftFrames, options.TimeShiftFrames + 1));
        if (options.PitchShiftBands > 0) PitchShift(crop, melBands, frames, options.PitchShiftBands * (2 * rng.NextDouble() - 1));
        if (options.NoiseProbability > 0 && rng.NextDouble() < options.NoiseProbability)
            AddNoise(crop, Mean(crop) - Uniform(rng, options.NoiseMinSnrDb, options.NoiseMaxSnrDb), rng);
        double gain = options.GainDb * (2 * rng.NextDouble() - 1);
        double tilt = options.EqualisationDb * (2 * rng.NextDouble() - 1);
        double bell = options.EqualisationDb * (2 * rng.NextDouble() - 1);
        double centre = rng.NextDouble() * (melBands - 1), width = 4 + 20 * rng.NextDouble();
        for (int m = 0; m < melBands; m++)
        {
            double x = melBands > 1 ? (double)m / (melBands - 1) - 0.5 : 0;
            double d = (m - centre) / width;
            float add = (float)(gain + tilt * x + bell * Math.Exp(-0.5 * d * d));
            foreach (ref var v in crop.Slice(m * frames, frames)) v += add;
        }
        for (int i = 0; i < options.FrequencyMasks; i++)
            MaskBands(crop, melBands, frames, rng.Next(melBands), 1 + rng.Next(options.FrequencyMaskBands));
        for (int i = 0; i < options.TimeMasks; i++)
            MaskFrames(crop, melBands, frames, rng.Next(frames), 1 + rng.Next(options.TimeMaskFrames));
    }

    /// <summary>Moves every band's frames by <paramref name="shift"/> (positive: later), repeating the edge frame.</summary>
    public static void Shift(Span<float> crop, int melBands, int frames, int shift)
    {
        if (shift == 0 || frames < 2) return;
        shift = Math.Clamp(shift, -(frames - 1), frames - 1);
        for (int m = 0; m < melBands; m++)
        {
            var row = crop.Slice(m * frames, frames);
            if (shift > 0)
            {
                row[..^shift].CopyTo(row[shift..]);
                row[..shift].Fill(row[shift]);
            }
            else
            {
                int s = -shift;
                row[s..].CopyTo(row);
                row[^s..].Fill(row[^(s + 1)]);
            }
        }
    }

    /// <summary>Moves the spectrum up (positive) or down by <paramref name="bands"/> mel bands, fractional shifts by
    /// linear interpolation; the edge band is repeated where nothing moves in.</summary>
    public static void PitchShift(Span<float> crop, int melBands, int frames, double bands)
    {
        if (bands == 0 || melBands < 2) return;
        var source = crop[..(melBands * frames)].ToArray();
        for (int m = 0; m < melBands; m++)
        {
            double from = Math.Clamp(m - bands, 0, melBands - 1);
            int lo = (int)Math.Floor(from), hi = Math.Min(lo + 1, melBands - 1);
            float w = (float)(from - lo);
            var dst = crop.Slice(m * frames, frames);
            var a = source.AsSpan(lo * frames, frames);
            var b = source.AsSpan(hi * frames, frames);
            for (int t = 0; t < frames; t++) dst[t] = a[t] + w * (b[t] - a[t]);
        }
    }

    /// <summary>Resamples <paramref name="source"/> <c>(n_mels, S)</c> to <paramref name="destination"/> <c>(n_mels, T)</c>
    /// along time by linear interpolation: S &gt; T speeds the music up, S &lt; T slows it down.</summary>
    public static void Stretch(ReadOnlySpan<float> source, int sourceFrames, Span<float> destination, int melBands, int frames)
    {
        double step = frames > 1 ? (double)(sourceFrames - 1) / (frames - 1) : 0;
        for (int t = 0; t < frames; t++)
        {
            double at = t * step;
            int lo = (int)at, hi = Math.Min(lo + 1, sourceFrames - 1);
            float w = (float)(at - lo);
            for (int m = 0; m < melBands; m++)
            {
                float a = source[m * sourceFrames + lo], b = source[m * sourceFrames + hi];
                destination[m * frames + t] = a + w * (b - a);
            }
        }
    }

    /// <summary>Mixes <paramref name="other"/> into <paramref name="crop"/> (power sum), first moved so that its mean
    /// level lies <paramref name="belowDb"/> under the crop's.</summary>
    public static void MixIn(Span<float> crop, ReadOnlySpan<float> other, double belowDb)
    {
        float offset = (float)(Mean(crop) - belowDb - Mean(other));
        for (int i = 0; i < crop.Length; i++) crop[i] = PowerSum(crop[i], other[i] + offset);
    }

    /// <summary>White noise at <paramref name="levelDb"/> per band (Slaney-normalised mel bands give white noise the
    /// same power density in every band), each value jittered by ±3 dB as a short-time spectrum of noise is.</summary>
    public static void AddNoise(Span<float> crop, double levelDb, Random rng)
    {
        for (int i = 0; i < crop.Length; i++) crop[i] = PowerSum(crop[i], (float)(levelDb + 6 * (rng.NextDouble() - 0.5)));
    }

    /// <summary>10·log10(10^(a/10) + 10^(b/10)): the level of two sounds together, from a table (0.05 dB steps; the
    /// smaller adds under 0.0005 dB past 40 dB apart).</summary>
    public static float PowerSum(float a, float b)
    {
        float hi = Math.Max(a, b), gap = Math.Abs(a - b);
        if (!(gap < 40)) return hi;
        float at = gap * 20;
        int i = (int)at;
        return hi + SumTable[i] + (at - i) * (SumTable[i + 1] - SumTable[i]);
    }

    private static readonly float[] SumTable = Enumerable.Range(0, 802)
        .Select(i => (float)(10 * Math.Log10(1 + Math.Pow(10, -i / 20.0 / 10)))).ToArray();

    private static void MaskBands(Span<float> crop, int melBands, int frames, int start, int width)
    {
        float fill = Mean(crop);
        for (int m = start; m < Math.Min(melBands, start + width); m++) crop.Slice(m * frames, frames).Fill(fill);
    }

    private static void MaskFrames(Span<float> crop, int melBands, int frames, int start, int width)
    {
        float fill = Mean(crop);
        int end = Math.Min(frames, start + width);
        for (int m = 0; m < melBands; m++) crop.Slice(m * frames + start, end - start).Fill(fill);
    }

    private static float Mean(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values) s += v;
        return values.Length > 0 ? (float)(s / values.Length) : 0;
    }

    private static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();
}
