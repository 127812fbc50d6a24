namespace Earworm.Audio.Synthesis;

/// <summary>Drum and bass: a two-step breakbeat (kick on 1 and the "and" of 3, snare on 2 and 4)
/// with busy hats, a sine sub bass following the kick, dark pads changing every two bars, and a
/// sparse bell motif.</summary>
internal static class DrumAndBassStyle
{
    // Kick patterns over two bars (eight beats); the snare is always on 1, 3, 5, 7.
    private static readonly double[][] Kicks =
    [
        [0, 2.5, 4, 6.5],
        [0, 2.5, 4, 5.5, 6.5],
        [0, 0.75, 2.5, 4, 6.5],
    ];

    public static void Render(Arrangement a)
    {
        a.UseProgression(a.Mode == Mode.Minor
            ? a.Pick(Progressions.MinorTonicHeavy, Progressions.MinorPendulum)
            : Progressions.MajorTonicHeavy, barsPerChord: 2);
        int sr = a.SampleRate;
        var kick = a.Kit(36, DrumVoices.Kick(sr, 3 * a.KickHz, a.KickHz, 0.09));
        var snare = a.Kit(38, DrumVoices.Snare(sr, a.Random, 0.12, a.SnareHz));
        var hat = a.Kit(42, DrumVoices.HiHat(sr, a.Random, 0.025));

        for (int pair = 0; pair * 2 < a.BarCount; pair++)
        {
            double start = pair * 2 * a.BeatsPerBar;
            var kicks = a.Pick(Kicks);
            foreach (double k in kicks)
            {
                a.Hit(kick, start + k, 1f);
                var chord = a.ChordOfBar((int)((start + k) / a.BeatsPerBar));
                a.Play(Timbre.SubBass, a.BassRoot(chord), start + k, k % 1 == 0 ? 1.4 : 1.2, 0.55f);
            }
            for (int s = 1; s < 8; s += 2) a.Hit(snare, start + s, 0.8f, 0.05f);
            for (int h = 0; h < 16; h++)
                a.Hit(hat, start + 0.5 * h, h % 2 == 0 ? a.Vary(0.22f, 0.28f) : a.Vary(0.12f, 0.18f), 0.3f);
            if (a.Random.NextDouble() < 0.5) a.Hit(snare, start + 7.75, 0.25f, -0.1f);   // ghost before the turn
        }

        for (int bar = 0; bar < a.BarCount; bar += 2)
        {
            var chord = a.ChordOfBar(bar);
            double start = bar * a.BeatsPerBar;
            double length = Math.Min(2, a.BarCount - bar) * a.BeatsPerBar;
            a.Play(Timbre.Pad, a.Voicing(chord, a.ChordFloorMidi), start, length, 0.22f);
            // A three-note bell figure on chord tones in the upper octave, once per two bars.
            var v = a.Voicing(chord, a.ChordFloorMidi + 12);
            a.Play(Timbre.Bell, v[0], start + 3, 1, 0.1f, -0.4f);
            a.Play(Timbre.Bell, v[2], start + 3.5, 1, 0.08f, 0.4f);
            a.Play(Timbre.Bell, v[1], start + 4.5, 2, 0.08f, 0f);
        }
    }
}
