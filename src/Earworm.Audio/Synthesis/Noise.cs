namespace Earworm.Audio.Synthesis;

/// <summary>Seeded noise sources. The caller owns the <see cref="Random"/>, so a whole track is
/// reproducible from its one seed.</summary>
public static class Noise
{
    /// <summary>Adds uniform white noise in [−amplitude, amplitude] (RMS = amplitude/√3).</summary>
    public static void AddWhite(Span<float> output, Random random, float amplitude = 1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < output.Length; i++)
            output[i] += (float)(amplitude * (2 * random.NextDouble() - 1));
    }

    /// <summary>Adds white noise held for <paramref name="holdSamples"/> samples at a time: the coarse,
    /// metallic noise channel of 8-bit sound chips.</summary>
    public static void AddSampleAndHold(Span<float> output, Random random, int holdSamples, float amplitude = 1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(holdSamples);
        float v = 0;
        for (int i = 0; i < output.Length; i++)
        {
            if (i % holdSamples == 0) v = random.NextDouble() < 0.5 ? -amplitude : amplitude;
            output[i] += v;
        }
    }
}
