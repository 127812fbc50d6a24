using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// The <c>descriptors</c> vector space: a track's <see cref="TrackDescriptors"/> as a fixed-length
/// feature vector with named slots, to be z-scored over a library (<see cref="Standardise"/>) and
/// weighted (<see cref="Weights"/>), so that Euclidean distance between weighted vectors says how
/// alike two tracks sound by these measures — the descriptor baseline every learned space is
/// compared with, as bliss-rs builds playlists from descriptors alone.
/// </summary>
/// <remarks>
/// <para>Slots (raw units before standardisation):</para>
/// <list type="bullet">
/// <item><c>tempo_log2_bpm</c>: log2 of the tempo, so 60 → 120 is as far as 120 → 240 (weight 1).</item>
/// <item><c>key_fifths_x</c>, <c>key_fifths_y</c>: the key as a point on the unit circle of fifths,
///   angle 2π·(Camelot number − 1)/12, relative major and minor at the same point (C major = A minor),
///   neighbouring keys (a fifth apart) close; weight 0.5 each, so the key counts as one unit.</item>
/// <item><c>mode_major</c>: +1 major, −1 minor (weight 0.5).</item>
/// <item><c>loudness_lufs</c> (0.5), <c>loudness_range_lu</c> (0.5), <c>energy</c> (1),
///   <c>danceability</c> (1).</item>
/// <item><c>brightness_log2_hz</c>: log2 of the mean spectral centroid (1).</item>
/// <item><c>spectral_flatness</c> (0.5), <c>onsets_per_second</c> (1), <c>dynamic_complexity_lu</c> (0.5).</item>
/// <item><c>mfcc_mean_1</c> … <c>mfcc_mean_12</c>: the timbre, c0 left out because it measures level
///   (already in loudness and energy); weight 1/√12 each, so the block counts as one unit.</item>
/// </list>
/// <para>The weights say what a listener notices first: tempo, energy, groove, brightness, busyness
/// and timbre at full weight; key, mode and the level statistics at half. The zero-crossing rate and
/// the MFCC deviations are left out (the first follows brightness; the second is noisy across
/// recordings). What a track lacks is filled with a neutral value: no tempo → 120 BPM, no key → the
/// centre of the circle and mode 0, no loudness → −70 LUFS.</para>
/// </remarks>
public static class DescriptorSpace
{
    /// <summary>The space's name, as verbs take it (<c>--space descriptors</c>).</summary>
    public const string Name = "descriptors";

    /// <summary>Version of the slot layout and weights; changes with <see cref="TrackDescriptors.Version"/> or the slots.</summary>
    public const int Version = 2;

    /// <summary>How many MFCC means (c1 onward) the vector holds.</summary>
    public const int TimbreCoefficients = 12;

    private static readonly string[] Names = BuildNames();
    private static readonly double[] SlotWeights = BuildWeights();

    /// <summary>Names of the slots, in vector order.</summary>
    public static IReadOnlyList<string> FeatureNames => Names;

    /// <summary>Weight of each slot, applied after standardisation.</summary>
    public static IReadOnlyList<double> Weights => SlotWeights;

    /// <summary>Number of slots.</summary>
    public static int Dimension => Names.Length;

    /// <summary>The raw (unstandardised) feature vector of <paramref name="descriptors"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than 13 MFCC means.</exception>
    public static double[] Vector(TrackDescriptors descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        if (descriptors.MfccMeans.Count < TimbreCoefficients + 1)
            throw new ArgumentException($"The descriptor space needs at least {TimbreCoefficients + 1} MFCC means, got {descriptors.MfccMeans.Count}.", nameof(descriptors));
        var v = new double[Dimension];
        int i = 0;
        v[i++] = Math.Log2(descriptors.TempoBpm ?? 120);
        if (descriptors.KeyTonic is int tonic && descriptors.KeyMode is Mode mode)
        {
            double angle = 2 * Math.PI * (KeyEstimator.CamelotNumber(tonic, mode) - 1) / 12;
            v[i++] = Math.Cos(angle);
            v[i++] = Math.Sin(angle);
            v[i++] = mode == Mode.Major ? 1 : -1;
        }
        else
        {
            i += 3;
        }
        v[i++] = descriptors.IntegratedLoudnessLufs ?? LoudnessMeter.AbsoluteGateLufs;
        v[i++] = descriptors.LoudnessRangeLu;
        v[i++] = descriptors.Energy;
        v[i++] = descriptors.Danceability;
        v[i++] = Math.Log2(Math.Max(descriptors.SpectralCentroidHz, 20));
        v[i++] = descriptors.SpectralFlatness;
        v[i++] = descriptors.OnsetsPerSecond;
        v[i++] = descriptors.DynamicComplexityLu;
        for (int c = 1; c <= TimbreCoefficients; c++) v[i++] = descriptors.MfccMeans[c];
        return v;
    }

    /// <summary>
    /// Means and population standard deviations of each slot over <paramref name="vectors"/> (raw
    /// vectors of a library), from which <see cref="DescriptorScaler"/> z-scores any vector.
    /// </summary>
    /// <exception cref="ArgumentException">No vectors, or one of the wrong length or not finite.</exception>
    public static DescriptorScaler Standardise(IReadOnlyList<double[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0) throw new ArgumentException("Need at least one vector to standardise.", nameof(vectors));
        var means = new double[Dimension];
        foreach (var v in vectors)
        {
            if (v is null || v.Length != Dimension) throw new ArgumentException($"Every vector must have {Dimension} slots.", nameof(vectors));
            for (int i = 0; i < Dimension; i++)
            {
                if (!double.IsFinite(v[i])) throw new ArgumentException($"Slot {Names[i]} is not finite.", nameof(vectors));
                means[i] += v[i] / vectors.Count;
            }
        }
        var stds = new double[Dimension];
        foreach (var v in vectors)
        {
            for (int i = 0; i < Dimension; i++) stds[i] += (v[i] - means[i]) * (v[i] - means[i]) / vectors.Count;
        }
        for (int i = 0; i < Dimension; i++) stds[i] = Math.Sqrt(stds[i]);
        return new DescriptorScaler(means, stds);
    }

    private static string[] BuildNames()
    {
        var names = new List<string>
        {
            "tempo_log2_bpm", "key_fifths_x", "key_fifths_y", "mode_major",
            "loudness_lufs", "loudness_range_lu", "energy", "danceability",
            "brightness_log2_hz", "spectral_flatness", "onsets_per_second", "dynamic_complexity_lu",
        };
        for (int c = 1; c <= TimbreCoefficients; c++) names.Add($"mfcc_mean_{c}");
        return [.. names];
    }

    private static double[] BuildWeights()
    {
        var weights = new List<double> { 1, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 0.5, 1, 0.5 };
        for (int c = 1; c <= TimbreCoefficients; c++) weights.Add(1 / Math.Sqrt(TimbreCoefficients));
        return [.. weights];
    }
}

/// <summary>
/// Z-scores descriptor vectors with a library's statistics (<see cref="DescriptorSpace.Standardise"/>).
/// A slot with zero spread standardises to 0.
/// </summary>
/// <param name="Means">Mean of each slot.</param>
/// <param name="StandardDeviations">Population standard deviation of each slot.</param>
public sealed record DescriptorScaler(IReadOnlyList<double> Means, IReadOnlyList<double> StandardDeviations)
{
    /// <summary>(x − mean) / std per slot (0 where std is 0).</summary>
    public double[] Standardised(ReadOnlySpan<double> raw)
    {
        if (raw.Length != Means.Count) throw new ArgumentException($"Expected {Means.Count} slots, got {raw.Length}.", nameof(raw));
        var z = new double[raw.Length];
        for (int i = 0; i < z.Length; i++)
            z[i] = StandardDeviations[i] > 0 ? (raw[i] - Means[i]) / StandardDeviations[i] : 0;
        return z;
    }

    /// <summary>The standardised vector times <see cref="DescriptorSpace.Weights"/>: the point that distances are taken between.</summary>
    public double[] Weighted(ReadOnlySpan<double> raw)
    {
        var z = Standardised(raw);
        for (int i = 0; i < z.Length; i++) z[i] *= DescriptorSpace.Weights[i];
        return z;
    }
}
