namespace Earworm.Audio.Synthesis;

/// <summary>
/// The band parts of each <see cref="Feel"/>, written into a <see cref="Groove"/>: drums, bass, chords,
/// melody, with a few patterns per part drawn from the seed. Positions are in quarter notes from
/// the start of the bar; swung eighths come from <see cref="Eighth"/>.
/// </summary>
internal static class GroovePatterns
{
    private const int Melody = GrooveWriter.MelodyChannel, Chords = GrooveWriter.ChordChannel, BassLine = GrooveWriter.BassChannel;

    // Twelve-bar blues in diatonic triads (I–IV–V; in minor i–iv–V with the raised leading tone).
    private static IReadOnlyList<Chord> Blues(Mode mode)
    {
        var five = new Chord(4, RaisedLeadingTone: mode == Mode.Minor);
        Chord one = new(0), four = new(3);
        return [one, one, one, one, four, four, one, one, five, four, one, five];
    }

    // The boogie bass line in scale steps above the chord's root: root, third, fifth, sixth, octave and back.
    private static readonly int[] Boogie = [0, 2, 4, 5, 7, 5, 4, 2];

    // Bar-long melody rhythms in eighth notes (start, length), for the 4/4 feels; swung by Eighth().
    private static readonly (int Start, int Length)[][] FourFourRhythms =
    [
        [(0, 2), (2, 1), (3, 1), (4, 4)],
        [(0, 3), (3, 1), (4, 2), (6, 2)],
        [(0, 1), (1, 1), (2, 2), (4, 2), (6, 1), (7, 1)],
        [(0, 4), (4, 2), (6, 2)],
        [(1, 1), (2, 2), (4, 3), (7, 1)],
        [(0, 1), (1, 1), (2, 1), (3, 1), (4, 2), (6, 2)],
    ];

    /// <summary>Position of the k-th eighth of a 4/4 bar, quarter notes: the off-beat eighth at
    /// <paramref name="ratio"/> of the beat (0.5 straight, 2/3 a triplet shuffle).</summary>
    public static double Eighth(int k, double ratio) => k / 2 + (k % 2 == 1 ? ratio : 0);

    private static (double, double)[][] Swung(double ratio) =>
        [.. FourFourRhythms.Select(r => r.Select(x => (Eighth(x.Start, ratio), Eighth(x.Start + x.Length, ratio) - Eighth(x.Start, ratio))).ToArray())];

    public static void Straight(Groove g)
    {
        g.UseProgression(g.Mode == Mode.Major
            ? g.Pick(Progressions.Pop, Progressions.MajorTonicHeavy, Progressions.Cadence(Mode.Major))
            : g.Pick(Progressions.MinorLoop, Progressions.Aeolian, Progressions.MinorTonicHeavy));
        g.Instrument(Melody, "melody", 0, 11, 56, 65, 73, 80, 40);
        g.Instrument(Chords, "chords", 0, 4, 16, 25, 27, 48);
        g.Instrument(BassLine, "bass", 32, 33, 34, 38);
        int drums = g.Random.Next(3), bass = g.Random.Next(3), comp = g.Spec.Drums ? g.Random.Next(3) : 1 + g.Random.Next(2);
        for (int bar = 0; bar < g.BarCount; bar++)
        {
            double s = g.BarStart(bar);
            var chord = g.ChordOfBar(bar);
            if (g.Spec.Drums)
            {
                if (bar % 8 == 0) g.Drum(Groove.Crash, s, 90);
                for (int k = 0; k < (drums == 2 ? 16 : 8); k++)
                {
                    double step = drums == 2 ? 0.25 : 0.5;
                    g.Drum(Groove.ClosedHat, s + k * step, k * step % 1 == 0 ? 75 : 50);
                }
                for (int beat = 0; beat < 4; beat++)
                {
                    if (drums == 1 || beat % 2 == 0) g.Drum(Groove.Kick, s + beat, 100);
                    if (beat % 2 == 1) g.Drum(Groove.Snare, s + beat, 95);
                }
                if (drums == 0 && g.Chance(0.5)) g.Drum(Groove.Kick, s + 2.5, 80);
            }
            switch (bass)
            {
                case 0:
                    for (int k = 0; k < 8; k++) g.Note(BassLine, g.Bass(chord, k == 7 ? 4 : 0), s + 0.5 * k, 0.45, k % 2 == 0 ? 90 : 75);
                    break;
                case 1:
                    for (int beat = 0; beat < 4; beat++) g.Note(BassLine, g.Bass(chord, beat % 2 == 0 ? 0 : 4), s + beat, 0.9, 90);
                    break;
                default:
                    foreach (var (at, step) in new[] { (0.0, 0), (1.5, 0), (2.0, 4), (3.5, 7) }) g.Note(BassLine, g.Bass(chord, step), s + at, 0.45, 90);
                    break;
            }
            var v = g.Voicing(chord, g.ChordFloorMidi);
            switch (comp)
            {
                case 0:
                    g.Notes(Chords, v, s, 3.9, 60);
                    break;
                case 1:
                    for (int beat = 0; beat < 4; beat++) g.Notes(Chords, v, s + beat, 0.8, beat % 2 == 0 ? 68 : 58);
                    break;
                default:
                    int[] arpeggio = [v[0], v[2], v[0] + 12, v[1] + 12, v[2] + 12, v[1] + 12, v[0] + 12, v[2]];
                    for (int k = 0; k < 8; k++) g.Note(Chords, arpeggio[k] - 12, s + 0.5 * k, 0.45, k % 2 == 0 ? 65 : 55);
                    break;
            }
        }
        g.Melody(Swung(0.5), 88);
    }

    public static void Swing(Groove g)
    {
        double ratio = Math.Clamp(0.70 - 0.0006 * (g.Spec.BeatBpm - 100), 0.58, 0.70) + 0.02 * (2 * g.Random.NextDouble() - 1);
        g.UseProgression(g.Mode == Mode.Major
            ? g.Pick<IReadOnlyList<Chord>>([new(0), new(5), new(1), new(4)], [new(1), new(4), new(0), new(0)], Progressions.Cadence(Mode.Major))
            : g.Pick(Progressions.MinorTonicHeavy, Progressions.Cadence(Mode.Minor)));
        g.Instrument(Melody, "melody", 65, 66, 56, 11, 71, 0);
        g.Instrument(Chords, "chords", 0, 26, 4);
        g.Instrument(BassLine, "bass", 32, 32, 33);
        bool feather = g.Chance(0.6);
        for (int bar = 0; bar < g.BarCount; bar++)
        {
            double s = g.BarStart(bar);
            var chord = g.ChordOfBar(bar);
            if (g.Spec.Drums)
            {
                // The ride's "spang-a-lang": every beat, and the swung eighth after 2 and 4.
                foreach (var (at, velocity) in new[] { (0.0, 78), (1.0, 85), (1 + ratio, 55), (2.0, 78), (3.0, 85), (3 + ratio, 55) })
                    g.Drum(Groove.Ride, s + at, velocity);
                g.Drum(Groove.PedalHat, s + 1, 60);
                g.Drum(Groove.PedalHat, s + 3, 60);
                for (int beat = 0; beat < 4 && feather; beat++) g.Drum(Groove.Kick, s + beat, 35);
                for (int k = 1; k < 8; k += 2)
                    if (g.Chance(0.12)) g.Drum(g.Chance(0.5) ? Groove.Snare : Groove.SideStick, s + Eighth(k, ratio), 50);
            }
            // Walking bass: root, a step or the third, the fifth, then a step into the next bar's root.
            var next = g.ChordOfBar(bar + 1);
            int[] walk = [g.Bass(chord, 0), g.Bass(chord, g.Pick(1, 2)), g.Bass(chord, 4), g.Bass(next, g.Pick(-1, 1))];
            for (int beat = 0; beat < 4; beat++) g.Note(BassLine, walk[beat], s + beat, 0.9, beat == 0 ? 92 : 82);
            var v = g.Voicing(chord, g.ChordFloorMidi);
            var comp = g.Random.Next(4) switch
            {
                0 => new[] { (0.0, 0.6), (1 + ratio, 0.4) },                  // Charleston
                1 => [(1 + ratio, 0.4), (3 + ratio, 0.4)],
                2 => [(0.0, 1.5), (2 + ratio, 0.5)],
                _ => [(0.0, 0.5), (1.0, 0.5), (2.0, 0.5), (3.0, 0.5)],     // four to the bar
            };
            foreach (var (at, length) in comp) g.Notes(Chords, v, s + at, length, 60);
        }
        g.Melody(Swung(ratio), 85);
    }

    public static void Shuffle(Groove g)
    {
        const double ratio = 2.0 / 3;
        g.UseProgression(Blues(g.Mode));
        g.Instrument(Melody, "melody", 65, 22, 29, 56, 16);
        g.Instrument(Chords, "chords", 0, 16, 27, 29);
        g.Instrument(BassLine, "bass", 33, 34, 32);
        int cymbal = g.Pick(Groove.ClosedHat, Groove.Ride), bass = g.Random.Next(2), comp = g.Spec.Drums ? g.Random.Next(3) : g.Random.Next(2);
        for (int bar = 0; bar < g.BarCount; bar++)
        {
            double s = g.BarStart(bar);
            var chord = g.ChordOfBar(bar);
            if (g.Spec.Drums)
            {
                if (bar % 12 == 0) g.Drum(Groove.Crash, s, 90);
                for (int beat = 0; beat < 4; beat++)
                {
                    g.Drum(cymbal, s + beat, 75);
                    g.Drum(cymbal, s + beat + ratio, 50);
                    g.Drum(beat % 2 == 0 ? Groove.Kick : Groove.Snare, s + beat, beat % 2 == 0 ? 100 : 105);
                }
                if (g.Chance(0.4)) g.Drum(Groove.Kick, s + 2 + ratio, 75);
            }
            if (bass == 0)
            {
                for (int k = 0; k < 8; k++) g.Note(BassLine, g.Bass(chord, Boogie[k]), s + Eighth(k, ratio), 0.9 * (Eighth(k + 1, ratio) - Eighth(k, ratio)), k % 2 == 0 ? 92 : 75);
            }
            else
            {
                for (int beat = 0; beat < 4; beat++) g.Note(BassLine, g.Bass(chord, Boogie[2 * beat]), s + beat, 0.9, 90);
            }
            var v = g.Voicing(chord, g.ChordFloorMidi);
            switch (comp)
            {
                case 0:   // the 5–6 shuffle figure, long–short
                    for (int k = 0; k < 8; k++)
                        g.Notes(Chords, [g.Bass(chord, 0) + 12, g.Bass(chord, k % 4 < 2 ? 4 : 5) + 12], s + Eighth(k, ratio), 0.9 * (Eighth(k + 1, ratio) - Eighth(k, ratio)), k % 2 == 0 ? 68 : 55);
                    break;
                case 1:   // chords on the shuffled off-beats
                    for (int beat = 0; beat < 4; beat++) g.Notes(Chords, v, s + beat + ratio, 0.3, 62);
                    break;
                default:
                    g.Notes(Chords, v, s, 3.9, 55);
                    break;
            }
        }
        g.Melody(Swung(ratio), 88);
    }

    private static readonly (double, double)[][] SixEightRhythms =
    [
        [(0, 1), (1, 0.5), (1.5, 1), (2.5, 0.5)],
        [(0, 1.5), (1.5, 1.5)],
        [(0, 0.5), (0.5, 0.5), (1, 0.5), (1.5, 1.5)],
        [(0, 1.5), (1.5, 1), (2.5, 0.5)],
        [(0, 1), (1, 0.5), (1.5, 1.5)],
    ];

    public static void SixEight(Groove g)
    {
        g.UseProgression(g.Mode == Mode.Major
            ? g.Pick(Progressions.MajorTonicHeavy, Progressions.Cadence(Mode.Major), Progressions.Pop)
            : g.Pick(Progressions.Aeolian, Progressions.MinorTonicHeavy, Progressions.MinorLoop));
        g.Instrument(Melody, "melody", 73, 40, 68, 0, 71, 24);
        g.Instrument(Chords, "chords", 0, 24, 46, 48, 25);
        g.Instrument(BassLine, "bass", 32, 33, 42);
        int drums = g.Random.Next(2), bass = g.Random.Next(2), comp = g.Spec.Drums ? g.Random.Next(3) : 2 * g.Random.Next(2);
        for (int bar = 0; bar < g.BarCount; bar++)
        {
            double s = g.BarStart(bar);
            var chord = g.ChordOfBar(bar);
            if (g.Spec.Drums)
            {
                for (int k = 0; k < 6; k++) g.Drum(Groove.ClosedHat, s + 0.5 * k, k % 3 == 0 ? 72 : 45);
                g.Drum(Groove.Kick, s, 100);
                if (drums == 0)
                {
                    g.Drum(Groove.Snare, s + 1.5, 95);                  // the ballad: snare on the second beat
                    if (g.Chance(0.5)) g.Drum(Groove.Kick, s + 2.5, 75);
                }
                else
                {
                    g.Drum(Groove.Kick, s + 1.5, 90);                   // the jig: both beats, rim on the last eighths
                    g.Drum(Groove.SideStick, s + 1.0, 70);
                    g.Drum(Groove.SideStick, s + 2.5, 70);
                }
            }
            if (bass == 0)
            {
                g.Note(BassLine, g.Bass(chord, 0), s, 1.4, 90);
                g.Note(BassLine, g.Bass(chord, 4), s + 1.5, 1.4, 82);
            }
            else
            {
                foreach (var (at, length, step) in new[] { (0.0, 1.0, 0), (1.0, 0.5, 2), (1.5, 1.0, 4), (2.5, 0.5, 2) })
                    g.Note(BassLine, g.Bass(chord, step), s + at, 0.95 * length, at % 1.5 == 0 ? 90 : 72);
            }
            var v = g.Voicing(chord, g.ChordFloorMidi);
            switch (comp)
            {
                case 0:
                    int[] arpeggio = [v[0], v[2], v[0] + 12, v[1] + 12, v[0] + 12, v[2]];
                    for (int k = 0; k < 6; k++) g.Note(Chords, arpeggio[k] - 12, s + 0.5 * k, 0.48, k % 3 == 0 ? 66 : 54);
                    break;
                case 1:
                    g.Notes(Chords, v, s, 1.4, 60);
                    g.Notes(Chords, v, s + 1.5, 1.4, 55);
                    break;
                default:   // "oom-pah-pah" twice a bar
                    foreach (double at in new[] { 0.5, 1.0, 2.0, 2.5 }) g.Notes(Chords, v, s + at, 0.4, 55);
                    break;
            }
        }
        g.Melody(SixEightRhythms, 86);
    }

    private static readonly (double, double)[][] TwelveEightRhythms =
    [
        [(0, 1.5), (1.5, 1), (2.5, 0.5), (3, 3)],
        [(0, 1), (1, 0.5), (1.5, 1.5), (3, 1.5), (4.5, 1.5)],
        [(0, 3), (3, 1), (4, 0.5), (4.5, 1.5)],
        [(1.5, 1.5), (3, 1), (4, 0.5), (4.5, 1.5)],
    ];

    public static void TwelveEight(Groove g)
    {
        g.UseProgression(Blues(g.Mode));
        g.Instrument(Melody, "melody", 65, 29, 22, 56, 40);
        g.Instrument(Chords, "chords", 0, 16, 4);
        g.Instrument(BassLine, "bass", 32, 33);
        int drums = g.Random.Next(2), comp = g.Spec.Drums ? g.Random.Next(2) : 0;
        for (int bar = 0; bar < g.BarCount; bar++)
        {
            double s = g.BarStart(bar);
            var chord = g.ChordOfBar(bar);
            if (g.Spec.Drums)
            {
                if (bar % 12 == 0) g.Drum(Groove.Crash, s, 85);
                if (drums == 0)
                {
                    for (int k = 0; k < 12; k++) g.Drum(Groove.Ride, s + 0.5 * k, k % 3 == 0 ? 72 : 45);
                }
                else
                {
                    for (int beat = 0; beat < 4; beat++)
                    {
                        g.Drum(Groove.ClosedHat, s + 1.5 * beat, 72);
                        g.Drum(Groove.ClosedHat, s + 1.5 * beat + 1, 50);
                    }
                }
                g.Drum(Groove.Kick, s, 100);
                g.Drum(Groove.Kick, s + 3, 95);
                if (g.Chance(0.4)) g.Drum(Groove.Kick, s + 2.5, 70);
                g.Drum(Groove.Snare, s + 1.5, 100);
                g.Drum(Groove.Snare, s + 4.5, 100);
            }
            for (int beat = 0; beat < 4; beat++)
            {
                g.Note(BassLine, g.Bass(chord, Boogie[2 * beat]), s + 1.5 * beat, 0.95, 90);
                g.Note(BassLine, g.Bass(chord, Boogie[2 * beat + 1]), s + 1.5 * beat + 1, 0.45, 72);
            }
            var v = g.Voicing(chord, g.ChordFloorMidi);
            if (comp == 0)
            {
                for (int k = 0; k < 12; k++) g.Notes(Chords, v, s + 0.5 * k, 0.45, k % 3 == 0 ? 62 : 48);
            }
            else
            {
                g.Notes(Chords, v, s, 5.9, 50);
                g.Notes(Chords, v.Select(n => n + 12), s + 1.5, 0.4, 62);
                g.Notes(Chords, v.Select(n => n + 12), s + 4.5, 0.4, 62);
            }
        }
        g.Melody(TwelveEightRhythms, 86);
    }
}
