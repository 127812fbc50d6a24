namespace Earworm.Content.Data;

/// <summary>How much a contrastive view of a crop is altered (values in dB and frames; 0 turns one off).</summary>
public sealed record AugmentationOptions
{
    /// <summary>A uniform gain in ±GainDb added to every value. Default 6 dB.</summary>
    public double GainDb { get; init; } = 6;

    /// <summary>Equalisation: a random spectral tilt in ±EqualisationDb across the bands plus one bell of ±EqualisationDb
    /// at a random band (width 4–24 bands). Default 6 dB.</summary>
    public double EqualisationDb { get; init; } = 6;

    /// <summary>A small time shift of up to ±TimeShiftFrames, the edge frame repeated. Default 4 frames (≈ 93 ms).</summary>
    public int TimeShiftFrames { get; init; } = 4;
}

/// <summary>Augmentations of a log-mel crop <c>(n_mels, T)</c> in dB, in place (SimCLR-style views for NT-Xent).</summary>
public static class Augmentation
{
    public static void Apply(Span<float> crop, int melBands, int frames, AugmentationOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (options.TimeShiftFrames > 0) Shift(crop, melBands, frames, rng.Next(-options.TimeShiftFrames, options.TimeShiftFrames + 1));
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
}
