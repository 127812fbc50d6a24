namespace Earworm.Audio.Synthesis;

/// <summary>
/// Memoryless soft limiter: identity below the threshold t, above it a tanh knee that approaches
/// but never passes full scale, y = t + (1 − t)·tanh((|x| − t)/(1 − t)). Value and slope are
/// continuous at the threshold, so quiet material is untouched and loud peaks are rounded rather
/// than clipped; no output exceeds 1 in magnitude.
/// </summary>
public static class SoftLimiter
{
    /// <summary>Limits <paramref name="samples"/> in place.</summary>
    /// <param name="samples">Samples of any channel layout.</param>
    /// <param name="threshold">Level where limiting starts, in (0, 1).</param>
    public static void Apply(Span<float> samples, float threshold = 0.8f)
    {
        if (!(threshold > 0 && threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Threshold must lie in (0, 1).");
        for (int i = 0; i < samples.Length; i++)
        {
            if (Math.Abs(samples[i]) > threshold) samples[i] = (float)Curve(samples[i], threshold);
        }
    }

    /// <summary>The limiter's transfer curve for one value.</summary>
    public static double Curve(double x, double threshold = 0.8)
    {
        double m = Math.Abs(x);
        if (m <= threshold) return x;
        if (double.IsNaN(x)) return 0;
        double room = 1 - threshold;
        return Math.Sign(x) * (threshold + room * Math.Tanh((m - threshold) / room));
    }
}
