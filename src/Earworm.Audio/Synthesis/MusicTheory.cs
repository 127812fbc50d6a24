namespace Earworm.Audio.Synthesis;

/// <summary>
/// Equal-tempered pitch and diatonic harmony: MIDI note ↔ Hz (A4 = MIDI 69 = 440 Hz), the major
/// and natural-minor scales, triads on scale degrees, key names. Pitch classes count semitones
/// above C (C = 0, C♯ = 1, …, B = 11).
/// </summary>
public static class MusicTheory
{
    private static readonly int[] MajorSteps = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] MinorSteps = [0, 2, 3, 5, 7, 8, 10];
    private static readonly string[] Names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    /// <summary>Frequency in Hz of a (possibly fractional) MIDI note number.</summary>
    public static double MidiToHz(double midiNote) => 440.0 * Math.Pow(2, (midiNote - 69) / 12.0);

    /// <summary>MIDI note number (fractional) of a frequency in Hz.</summary>
    public static double HzToMidi(double frequencyHz)
    {
        if (!(frequencyHz > 0)) throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "Frequency must be positive.");
        return 69 + 12 * Math.Log2(frequencyHz / 440.0);
    }

    /// <summary>Pitch class 0..11 of a MIDI note (60 = middle C → 0).</summary>
    public static int PitchClass(int midiNote) => ((midiNote % 12) + 12) % 12;

    /// <summary>The MIDI note of pitch class <paramref name="pitchClass"/> in the octave from <paramref name="floorMidi"/>
    /// up: in [floor, floor + 12).</summary>
    public static int NoteAtOrAbove(int pitchClass, int floorMidi) => floorMidi + PitchClass(pitchClass - floorMidi);

    /// <summary>Semitones above the tonic of the seven scale degrees of <paramref name="mode"/>.</summary>
    public static IReadOnlyList<int> ScaleSteps(Mode mode) => mode switch
    {
        Mode.Major => MajorSteps,
        Mode.Minor => MinorSteps,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Pitch classes of the scale of <paramref name="tonic"/> <paramref name="mode"/>, tonic first.</summary>
    public static int[] ScalePitchClasses(int tonic, Mode mode) =>
        [.. ScaleSteps(mode).Select(s => PitchClass(tonic + s))];

    /// <summary>MIDI note of scale degree <paramref name="degree"/> counted from
    /// <paramref name="tonicMidi"/>: 0 is the tonic itself, 7 an octave up, −1 the seventh below.</summary>
    /// <param name="raisedLeadingTone">In minor, raise the seventh degree a semitone (harmonic minor).</param>
    public static int ScaleNote(int tonicMidi, Mode mode, int degree, bool raisedLeadingTone = false)
    {
        int octave = (int)Math.Floor(degree / 7.0);
        int d = degree - 7 * octave;
        int step = ScaleSteps(mode)[d];
        if (raisedLeadingTone && mode == Mode.Minor && d == 6) step += 1;
        return tonicMidi + 12 * octave + step;
    }

    /// <summary>MIDI notes (root, third, fifth) of <paramref name="chord"/> in root position, its
    /// root on the scale degree counted from <paramref name="tonicMidi"/>.</summary>
    public static int[] Triad(int tonicMidi, Mode mode, Chord chord) =>
    [
        ScaleNote(tonicMidi, mode, chord.Degree, chord.RaisedLeadingTone),
        ScaleNote(tonicMidi, mode, chord.Degree + 2, chord.RaisedLeadingTone),
        ScaleNote(tonicMidi, mode, chord.Degree + 4, chord.RaisedLeadingTone),
    ];

    /// <summary>Pitch classes of <paramref name="chord"/> in the key of <paramref name="tonic"/>.</summary>
    public static int[] TriadPitchClasses(int tonic, Mode mode, Chord chord) =>
        [.. Triad(60 + tonic, mode, chord).Select(PitchClass)];

    /// <summary>True when the chord's third is major (4 semitones above its root).</summary>
    public static bool IsMajorTriad(Mode mode, Chord chord)
    {
        var t = Triad(60, mode, chord);
        return t[1] - t[0] == 4;
    }

    /// <summary>True when the chord's fifth is diminished (6 semitones above its root).</summary>
    public static bool IsDiminishedTriad(Mode mode, Chord chord)
    {
        var t = Triad(60, mode, chord);
        return t[2] - t[0] == 6;
    }

    /// <summary>Name of a pitch class with sharps: 0 → "C", 10 → "A#".</summary>
    public static string PitchClassName(int pitchClass) => Names[PitchClass(pitchClass)];

    /// <summary>Key name as descriptors print it: (9, Minor) → "A minor", (1, Major) → "C# major".</summary>
    public static string KeyName(int tonic, Mode mode) =>
        $"{PitchClassName(tonic)} {(mode == Mode.Major ? "major" : "minor")}";
}
