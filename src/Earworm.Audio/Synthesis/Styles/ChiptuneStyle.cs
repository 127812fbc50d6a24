namespace Earworm.Audio.Synthesis;

/// <summary>Chiptune, as a 1980s console would play it: a square-wave lead, a 25 % pulse arpeggio
/// racing through the chord in sixteenths, a triangle bass in octaves, and noise-channel drums.</summary>
internal static class ChiptuneStyle
{
    private static readonly (double, double)[][] Rhythms =
    [
        [(0, 1), (1, 0.5), (1.5, 0.5), (2, 1), (3, 1)],
        [(0, 0.5), (0.5, 0.5), (1, 1), (2, 2)],
        [(0, 1.5), (1.5, 0.5), (2, 0.5), (2.5, 0.5), (3, 1)],
        [(0, 1), (1, 1), (2, 1), (3, 0.5), (3.5, 0.5)],
    ];

    public static void Render(Arrangement a)
    {
        a.UseProgression(a.Mode == Mode.Major
            ? a.Pick(Progressions.Pop, Progressions.Cadence(Mode.Major), Progressions.MajorTonicHeavy)
            : a.Pick(Progressions.Aeolian, Progressions.MinorTonicHeavy));
        int sr = a.SampleRate;
        var kick = a.Kit(36, DrumVoices.Kick(sr, 3 * a.KickHz, a.KickHz, 0.06));
        var snare = a.Kit(38, DrumVoices.ChipNoise(sr, a.Random, 0.05, Math.Max(1, sr / 4000)));
        var hat = a.Kit(42, DrumVoices.HiHat(sr, a.Random, 0.015));

        for (int bar = 0; bar < a.BarCount; bar++)
        {
            var chord = a.ChordOfBar(bar);
            double start = bar * a.BeatsPerBar;
            for (int beat = 0; beat < a.BeatsPerBar; beat++)
            {
                double b = start + beat;
                a.Hit(beat % 2 == 0 ? kick : snare, b, beat % 2 == 0 ? 0.7f : 0.3f);
                a.Hit(hat, b + 0.5, 0.2f, 0.2f);
            }
            int root = a.BassRoot(chord) + 12;
            for (int e = 0; e < 2 * a.BeatsPerBar; e++)
                a.Play(Timbre.ChipTriangle, e % 2 == 0 ? root : root + 12, start + 0.5 * e, 0.45, 0.45f);
            var v = a.Voicing(chord, a.ChordFloorMidi + 12);
            int[] arpeggio = [v[0], v[1], v[2], v[1]];
            for (int s = 0; s < 4 * a.BeatsPerBar; s++)
                a.Play(Timbre.ChipPulse, arpeggio[s % arpeggio.Length], start + 0.25 * s, 0.2, 0.22f, 0.3f);
        }
        foreach (var n in MelodyWriter.Write(a, Rhythms))
            a.Play(Timbre.ChipSquare, n.Midi, n.StartBeat, n.LengthBeats * 0.85, 0.45f, -0.15f);
    }
}
