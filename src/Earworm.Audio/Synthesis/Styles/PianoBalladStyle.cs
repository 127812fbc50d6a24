namespace Earworm.Audio.Synthesis;

/// <summary>Piano ballad: the left hand plays the root low on the downbeat, then the chord broken
/// in eighths; the right hand sings a melody of chord tones and steps. No drums; the eighth-note
/// arpeggio carries the pulse.</summary>
internal static class PianoBalladStyle
{
    private static readonly (double, double)[][] Rhythms =
    [
        [(0, 2), (2, 1), (3, 1)],
        [(0, 1.5), (1.5, 0.5), (2, 2)],
        [(0, 1), (1, 1), (2, 2)],
        [(0, 3), (3, 1)],
        [(0, 2), (2, 1.5), (3.5, 0.5)],
    ];

    public static void Render(Arrangement a)
    {
        a.UseProgression(a.Mode == Mode.Major
            ? a.Pick(Progressions.Cadence(Mode.Major), Progressions.MajorTonicHeavy)
            : a.Pick(Progressions.Aeolian, Progressions.MinorTonicHeavy));

        for (int bar = 0; bar < a.BarCount; bar++)
        {
            var chord = a.ChordOfBar(bar);
            double start = bar * a.BeatsPerBar;
            int root = a.BassRoot(chord) + 12;            // piano bass: an octave above the synth bass
            a.Play(Timbre.Piano, root, start, a.BeatsPerBar, 0.45f, -0.25f, 0.6f);
            // Broken chord: root-fifth-third-fifth pattern in the tenor register, twice per bar.
            var v = a.Voicing(chord, 48);
            int[] pattern = [v[0], v[2], v[1], v[2], v[0] + 12, v[2], v[1], v[2]];
            for (int i = 0; i < 2 * a.BeatsPerBar; i++)
                a.Play(Timbre.Piano, pattern[i % pattern.Length], start + 0.5 * i, 0.5, 0.26f, -0.1f, a.Vary(0.5f, 0.7f));
        }
        foreach (var n in MelodyWriter.Write(a, Rhythms))
            a.Play(Timbre.Piano, n.Midi, n.StartBeat, n.LengthBeats, 0.5f, 0.2f, a.Vary(0.75f, 0.95f));
    }
}
