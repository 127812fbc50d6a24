namespace Earworm.Audio.Synthesis;

/// <summary>Mode of a key: major (Ionian) or minor (natural minor, Aeolian).</summary>
public enum Mode
{
    /// <summary>Intervals 2-2-1-2-2-2-1.</summary>
    Major,
    /// <summary>Natural minor, intervals 2-1-2-2-1-2-2; <see cref="Chord.RaisedLeadingTone"/> gives the
    /// harmonic-minor dominant.</summary>
    Minor,
}
