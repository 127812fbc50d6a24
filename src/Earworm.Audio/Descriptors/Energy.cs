namespace Earworm.Audio.Descriptors;

/// <summary>The parts of <see cref="Energy"/>, each mapped to 0..1.</summary>
/// <param name="Loudness">Integrated loudness from <see cref="EnergyOptions.QuietLufs"/> (0) to <see cref="EnergyOptions.LoudLufs"/> (1).</param>
/// <param name="Brightness">Spectral centroid on a log scale from <see cref="EnergyOptions.DarkHz"/> (0) to <see cref="EnergyOptions.BrightHz"/> (1).</param>
/// <param name="Noisiness">Spectral flatness over <see cref="EnergyOptions.NoisyFlatness"/>.</param>
/// <param name="OnsetRate">1 − exp(−onsets per second / <see cref="EnergyOptions.OnsetsPerSecondScale"/>).</param>
/// <param name="Flux">Mean onset-envelope flux (dB per frame) over <see cref="EnergyOptions.FluxScaleDb"/>.</param>
public sealed record EnergyParts(double Loudness, double Brightness, double Noisiness, double OnsetRate, double Flux);

/// <summary>Scales and weights of <see cref="Energy"/>; the defaults are documented on each.</summary>
public sealed record EnergyOptions
{
    /// <summary>Loudness that counts as no intensity, LUFS. Default −40 (a quiet passage of classical music).</summary>
    public double QuietLufs { get; init; } = -40;

    /// <summary>Loudness that counts as full intensity, LUFS. Default −8 (a loud modern master).</summary>
    public double LoudLufs { get; init; } = -8;

    /// <summary>Spectral centroid of a dark sound, Hz. Default 300 (a bass line alone).</summary>
    public double DarkHz { get; init; } = 300;

    /// <summary>Spectral centroid of a bright sound, Hz. Default 5 000 (cymbals and distortion).</summary>
    public double BrightHz { get; init; } = 5000;

    /// <summary>Flatness of a noisy sound. Default 0.4 (distorted guitars and cymbals 0.35–0.4; tones under 0.05).</summary>
    public double NoisyFlatness { get; init; } = 0.4;

    /// <summary>Onsets per second at which the onset part reaches 1 − 1/e. Default 2.</summary>
    public double OnsetsPerSecondScale { get; init; } = 2;

    /// <summary>Mean onset-envelope flux counted as full activity, dB per frame. Default 3 (the 257 soundtrack
    /// files range 0.7–5.7, median 1.7).</summary>
    public double FluxScaleDb { get; init; } = 3;

    /// <summary>Weights of loudness, brightness, noisiness, onset rate and flux. Default 0.30, 0.25, 0.15, 0.15,
    /// 0.15: loudness first, as in every definition of the word, but not alone (it was alone in descriptors
    /// version 2, where house, ambient, drum and bass and piano ballads of the demo all read 0.81–0.83).</summary>
    public IReadOnlyList<double> Weights { get; init; } = [0.30, 0.25, 0.15, 0.15, 0.15];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(LoudLufs > QuietLufs)) throw new ArgumentException($"LoudLufs must exceed QuietLufs, got {QuietLufs} and {LoudLufs}.");
        if (!(DarkHz > 0 && BrightHz > DarkHz)) throw new ArgumentException($"Need 0 < DarkHz < BrightHz, got {DarkHz} and {BrightHz}.");
        if (!(NoisyFlatness > 0 && OnsetsPerSecondScale > 0 && FluxScaleDb > 0))
            throw new ArgumentException($"NoisyFlatness, OnsetsPerSecondScale and FluxScaleDb must be positive, got {NoisyFlatness}, {OnsetsPerSecondScale}, {FluxScaleDb}.");
        ArgumentNullException.ThrowIfNull(Weights, nameof(Weights));
        if (Weights.Count != 5 || Weights.Any(w => !(w >= 0)) || !(Weights.Sum() > 0))
            throw new ArgumentException($"Weights needs five non-negative values with a positive sum, got [{string.Join(", ", Weights)}].");
    }
}

/// <summary>
/// Energy, 0..1: "a perceptual measure of intensity and activity … energetic tracks feel fast, loud,
/// and noisy" (Spotify's audio features, after The Echo Nest). A weighted mean of five parts, each
/// mapped to 0..1 (<see cref="EnergyParts"/>):
/// <c>energy = (0.30·L + 0.25·B + 0.15·N + 0.15·O + 0.15·F) / 1.0</c> with
/// L = clamp((LUFS + 40) / 32), B = clamp(log(centroid / 300 Hz) / log(5000 / 300)),
/// N = clamp(flatness / 0.4), O = 1 − exp(−onsets per second / 2), F = clamp(mean flux / 3 dB).
/// Loudness tells a loud master from a quiet one; the other four tell, at equal loudness, a pad
/// from a drum kit: brightness and noisiness (cymbals, distortion, snares), the onset rate and the
/// spectral flux (how often and how much the spectrum changes).
/// </summary>
public static class Energy
{
    /// <summary>The parts of energy from the descriptors they are made of; a null loudness (too short
    /// or silent) counts as quiet.</summary>
    public static EnergyParts Parts(double? integratedLufs, double centroidHz, double flatness, double onsetsPerSecond, double meanFluxDb, EnergyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double loudness = integratedLufs is double lufs ? Math.Clamp((lufs - options.QuietLufs) / (options.LoudLufs - options.QuietLufs), 0, 1) : 0;
        double brightness = centroidHz > 0 ? Math.Clamp(Math.Log(centroidHz / options.DarkHz) / Math.Log(options.BrightHz / options.DarkHz), 0, 1) : 0;
        double noisiness = Math.Clamp(flatness / options.NoisyFlatness, 0, 1);
        double onsets = 1 - Math.Exp(-Math.Max(0, onsetsPerSecond) / options.OnsetsPerSecondScale);
        double flux = Math.Clamp(meanFluxDb / options.FluxScaleDb, 0, 1);
        return new EnergyParts(loudness, brightness, noisiness, onsets, flux);
    }

    /// <summary>The weighted mean of <paramref name="parts"/>, 0..1.</summary>
    public static double Combine(EnergyParts parts, EnergyOptions options)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(options);
        var w = options.Weights;
        double sum = w[0] * parts.Loudness + w[1] * parts.Brightness + w[2] * parts.Noisiness + w[3] * parts.OnsetRate + w[4] * parts.Flux;
        return Math.Clamp(sum / w.Sum(), 0, 1);
    }
}
