namespace Earworm.Audio.Synthesis;

/// <summary>
/// A diatonic triad named by the scale degree of its root (0 = tonic, 4 = dominant), as Roman
/// numerals do. <paramref name="RaisedLeadingTone"/> raises the minor scale's seventh degree a
/// semitone inside this chord, which turns the minor v into the major V of i–iv–V–i: the
/// leading tone is what makes a minor key's cadence unmistakable. It has no effect in major.
/// </summary>
/// <param name="Degree">Scale degree of the root, 0..6 (others wrap by octaves).</param>
/// <param name="RaisedLeadingTone">Use the harmonic-minor seventh in a minor key.</param>
public readonly record struct Chord(int Degree, bool RaisedLeadingTone = false)
{
    private static readonly string[] Numerals = ["I", "II", "III", "IV", "V", "VI", "VII"];

    /// <summary>The tonic triad, I or i.</summary>
    public static Chord Tonic => new(0);

    /// <summary>Roman numeral in the given mode, e.g. "IV", "vi", "VII", "V" (upper case = major).</summary>
    public string Numeral(Mode mode)
    {
        int d = ((Degree % 7) + 7) % 7;
        bool major = MusicTheory.IsMajorTriad(mode, this);
        bool diminished = MusicTheory.IsDiminishedTriad(mode, this);
        string n = major ? Numerals[d] : Numerals[d].ToLowerInvariant();
        return diminished ? n + "°" : n;
    }
}
