namespace Earworm.Audio.Synthesis;

/// <summary>Waltz in 3/4: "oom" — the bass root plucked and bowed on one; "pah-pah" — short string
/// chords on two and three; a flute melody over it.</summary>
internal static class WaltzStyle
{
    private static readonly (double, double)[][] Rhythms =
    [
        [(0, 2), (2, 1)],
        [(0, 3)],
        [(0, 1), (1, 1), (2, 1)],
        [(0, 1.5), (1.5, 0.5), (2, 1)],
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
            int root = a.BassRoot(chord) + 12;
            a.Play(Timbre.Pluck, root, start, 0.9, 0.45f, -0.1f);
            a.Play(Timbre.Strings, root, start, 0.9, 0.3f, -0.1f);
            var v = a.Voicing(chord, a.ChordFloorMidi);
            for (int beat = 1; beat < a.BeatsPerBar; beat++)
            {
                a.Play(Timbre.Strings, v, start + beat, 0.45, 0.2f, 0.25f);
                a.Play(Timbre.Pluck, v, start + beat, 0.3, 0.12f, 0.25f);
            }
        }
        foreach (var n in MelodyWriter.Write(a, Rhythms))
            a.Play(Timbre.Flute, n.Midi, n.StartBeat, n.LengthBeats * 0.95, 0.4f, -0.2f);
    }
}
