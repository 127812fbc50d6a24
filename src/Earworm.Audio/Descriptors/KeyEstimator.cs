using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Descriptors;

/// <summary>A key estimate.</summary>
/// <param name="Tonic">Pitch class of the tonic, 0..11 (C = 0).</param>
/// <param name="Mode">Major or minor.</param>
/// <param name="Confidence">Pearson correlation of the chroma with the winning rotated profile
/// (Krumhansl's "key strength"), clamped to [0, 1].</param>
/// <param name="Margin">Correlation of the winner minus that of the runner-up (of the other 23
/// keys), ≥ 0: small when two keys (often relative major/minor) fit almost equally.</param>
public sealed record KeyEstimate(int Tonic, Mode Mode, double Confidence, double Margin)
{
    /// <summary>"A minor", "C# major".</summary>
    public string Name => MusicTheory.KeyName(Tonic, Mode);

    /// <summary>The Camelot code, e.g. "8A" for A minor.</summary>
    public string Camelot => KeyEstimator.CamelotCode(Tonic, Mode);
}

/// <summary>The key profiles <see cref="KeyEstimator"/> correlates a chroma with.</summary>
public enum KeyProfile
{
    /// <summary>Krumhansl &amp; Kessler (1982) probe-tone ratings.</summary>
    KrumhanslKessler,
    /// <summary>Temperley (2001, "The Cognition of Basic Musical Structures", from the Kostka–Payne corpus): the
    /// leading tone weighs as much as the fourth degree, so a key and its dominant are told apart better.</summary>
    Temperley,
}

/// <summary>
/// Krumhansl–Schmuckler key finding: the chroma is correlated with the Krumhansl &amp; Kessler (1982)
/// probe-tone profiles rotated to each of the 12 tonics, major and minor; the best of the 24 wins
/// (Krumhansl, "Cognitive Foundations of Musical Pitch", 1990).
/// </summary>
public static class KeyEstimator
{
    // Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
    private static readonly double[] MajorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] MinorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
    // Temperley (2001), tonic first.
    private static readonly double[] TemperleyMajor = [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0];
    private static readonly double[] TemperleyMinor = [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0];

    /// <summary>The best of the 24 keys for <paramref name="chroma"/> (12 values, C first); null when
    /// the chroma is flat (all equal, e.g. silence), since then no key is better than another.</summary>
    public static KeyEstimate? Estimate(ReadOnlySpan<double> chroma, KeyProfile profiles = KeyProfile.KrumhanslKessler)
    {
        if (chroma.Length != 12) throw new ArgumentException($"chroma needs 12 values, got {chroma.Length}", nameof(chroma));
        double mean = 0;
        foreach (double c in chroma) mean += c / 12;
        double spread = 0;
        foreach (double c in chroma) spread += (c - mean) * (c - mean);
        if (!(spread > 1e-12)) return null;

        double best = double.NegativeInfinity, second = double.NegativeInfinity;
        int bestTonic = 0;
        var bestMode = Mode.Major;
        foreach (var mode in (ReadOnlySpan<Mode>)[Mode.Major, Mode.Minor])
        {
            var profile = profiles == KeyProfile.Temperley
                ? (mode == Mode.Major ? TemperleyMajor : TemperleyMinor)
                : (mode == Mode.Major ? MajorProfile : MinorProfile);
            for (int tonic = 0; tonic < 12; tonic++)
            {
                double r = Correlation(chroma, profile, tonic);
                if (r > best)
                {
                    second = best;
                    (best, bestTonic, bestMode) = (r, tonic, mode);
                }
                else if (r > second)
                {
                    second = r;
                }
            }
        }
        return new KeyEstimate(bestTonic, bestMode, Math.Clamp(best, 0, 1), Math.Max(0, best - second));
    }

    /// <summary>
    /// The Camelot wheel code of a key: number 1..12 around the circle of fifths (8B = C major,
    /// 9B = G major, …), letter A for minor and B for major; relative keys share the number
    /// (8A = A minor).
    /// </summary>
    public static string CamelotCode(int tonic, Mode mode)
    {
        if (tonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(tonic), tonic, "Tonic must be a pitch class 0..11.");
        return $"{CamelotNumber(tonic, mode)}{(mode == Mode.Major ? 'B' : 'A')}";
    }

    /// <summary>The Camelot number 1..12: C major and A minor are 8, each fifth up adds 1.</summary>
    public static int CamelotNumber(int tonic, Mode mode)
    {
        if (tonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(tonic), tonic, "Tonic must be a pitch class 0..11.");
        // Steps of a fifth from C: 7·pc mod 12. C major sits at 8; a minor key at its relative major (pc + 3).
        int majorTonic = mode == Mode.Major ? tonic : (tonic + 3) % 12;
        return (7 * majorTonic + 7) % 12 + 1;
    }

    private static double Correlation(ReadOnlySpan<double> chroma, double[] profile, int tonic)
    {
        double mc = 0, mp = 0;
        for (int i = 0; i < 12; i++) { mc += chroma[i]; mp += profile[i]; }
        mc /= 12;
        mp /= 12;
        double sab = 0, saa = 0, sbb = 0;
        for (int pc = 0; pc < 12; pc++)
        {
            double a = chroma[pc] - mc;
            double b = profile[(pc - tonic + 12) % 12] - mp;
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
