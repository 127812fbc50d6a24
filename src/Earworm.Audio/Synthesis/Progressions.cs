namespace Earworm.Audio.Synthesis;

/// <summary>
/// Chord progressions, one chord per entry. Each starts on the tonic and each either ends on it
/// or leads back to it when repeated, so a loop of them keeps naming the key; the arrangers also
/// put the tonic on a track's last bar.
/// </summary>
public static class Progressions
{
    /// <summary>The authentic cadence, I–IV–V–I in major, i–iv–V–i in minor (with the raised
    /// leading tone): the clearest possible statement of a key.</summary>
    public static IReadOnlyList<Chord> Cadence(Mode mode) => mode == Mode.Major
        ? [new(0), new(3), new(4), new(0)]
        : [new(0), new(3), new(4, RaisedLeadingTone: true), new(0)];

    /// <summary>I–V–vi–IV, the "four chords" of pop (major).</summary>
    public static IReadOnlyList<Chord> Pop { get; } = [new(0), new(4), new(5), new(3)];

    /// <summary>i–VI–III–VII, the minor loop of dance and rock.</summary>
    public static IReadOnlyList<Chord> MinorLoop { get; } = [new(0), new(5), new(2), new(6)];

    /// <summary>i–VI–VII–i, the "Aeolian" rock cadence: the flat seventh climbs back to the tonic.</summary>
    public static IReadOnlyList<Chord> Aeolian { get; } = [new(0), new(5), new(6), new(0)];

    /// <summary>i–iv–i–V (minor, raised leading tone): tonic every other chord.</summary>
    public static IReadOnlyList<Chord> MinorTonicHeavy { get; } = [new(0), new(3), new(0), new(4, RaisedLeadingTone: true)];

    /// <summary>I–vi–I–IV (major): tonic every other chord, no dominant; for music that floats.</summary>
    public static IReadOnlyList<Chord> MajorDrift { get; } = [new(0), new(5), new(0), new(3)];

    /// <summary>i–VI–i–iv (minor): tonic every other chord, no dominant.</summary>
    public static IReadOnlyList<Chord> MinorDrift { get; } = [new(0), new(5), new(0), new(3)];

    /// <summary>i–VI–i–VII (minor): tonic every other chord, the flat seventh leading home.</summary>
    public static IReadOnlyList<Chord> MinorPendulum { get; } = [new(0), new(5), new(0), new(6)];

    /// <summary>I–IV–I–V (major): tonic every other chord.</summary>
    public static IReadOnlyList<Chord> MajorTonicHeavy { get; } = [new(0), new(3), new(0), new(4)];
}
