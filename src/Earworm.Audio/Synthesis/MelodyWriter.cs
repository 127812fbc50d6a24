namespace Earworm.Audio.Synthesis;

/// <summary>One note of a line: where it starts and how long it is held, in beats, and its pitch.</summary>
internal readonly record struct NoteEvent(double StartBeat, double LengthBeats, int Midi);

/// <summary>The harmonic frame a melody is written over: bars of equal length, a chord per bar, the
/// key and the melody's register, and the random source of the piece (an <see cref="Arrangement"/>
/// rendering audio, or a <see cref="GrooveWriter"/> writing MIDI).</summary>
internal interface IHarmonicGrid
{
    /// <summary>Bars in the piece.</summary>
    int BarCount { get; }

    /// <summary>Length of a bar in the units the melody's rhythms are written in (beats, or quarter notes).</summary>
    int BeatsPerBar { get; }

    /// <summary>Mode of the key.</summary>
    Mode Mode { get; }

    /// <summary>MIDI note of the tonic in the melody's register.</summary>
    int MelodyTonicMidi { get; }

    /// <summary>The piece's one random source.</summary>
    Random Random { get; }

    /// <summary>The chord of a bar.</summary>
    Chord ChordOfBar(int bar);
}

/// <summary>
/// Writes a simple diatonic melody over an <see cref="IHarmonicGrid"/>'s chords: chord tones on the
/// strong beats (near the last note, seldom a repeat, and favouring the third, which tells major
/// from minor), steps between them, the harmonic-minor leading
/// tone over a raised V, and the tonic as the last note.
/// </summary>
internal static class MelodyWriter
{
    /// <param name="a">The grid, its chords and random source.</param>
    /// <param name="rhythms">Bar-long rhythms to choose from: (offset, length) pairs in beats.</param>
    /// <param name="octaveShift">Octaves above the arrangement's melody register.</param>
    public static List<NoteEvent> Write(IHarmonicGrid a, IReadOnlyList<(double Offset, double Length)[]> rhythms, int octaveShift = 0)
    {
        var notes = new List<NoteEvent>();
        int degree = 0;                      // scale degrees above the melody tonic; start at home
        int tonicMidi = a.MelodyTonicMidi + 12 * octaveShift;
        for (int bar = 0; bar < a.BarCount; bar++)
        {
            var chord = a.ChordOfBar(bar);
            bool last = bar == a.BarCount - 1;
            var rhythm = last ? [(0.0, (double)a.BeatsPerBar)] : rhythms[a.Random.Next(rhythms.Count)];
            foreach (var (offset, length) in rhythm)
            {
                bool strong = offset == 0 || (a.BeatsPerBar == 4 && offset == 2);
                degree = last ? 0
                    : strong ? ChordTone(degree, chord, a.Random)
                    : Step(degree, a.Random);
                int midi = MusicTheory.ScaleNote(tonicMidi, a.Mode, degree,
                    chord.RaisedLeadingTone && IsDegree(degree, 6));
                notes.Add(new NoteEvent(bar * a.BeatsPerBar + offset, length, midi));
            }
        }
        return notes;
    }

    // A chord tone within the melody's range (a fourth below the tonic to a sixth above it), drawn
    // with weight falling off with the leap from the previous note; repeating it is discouraged.
    private static int ChordTone(int previous, Chord chord, Random random)
    {
        Span<int> candidates = stackalloc int[8];
        Span<double> weights = stackalloc double[8];
        int n = 0;
        double total = 0;
        for (int d = -3; d <= 5; d++)
        {
            int rel = ((d - chord.Degree) % 7 + 7) % 7;
            if (rel is not (0 or 2 or 4)) continue;
            double w = 1.0 / (1 + Math.Abs(d - previous));
            if (d == previous) w *= 0.3;
            if (rel == 2) w *= 2;            // the third colours the chord major or minor: sing it
            candidates[n] = d;
            weights[n++] = w;
            total += w;
        }
        double pick = random.NextDouble() * total;
        for (int i = 0; i < n; i++)
        {
            pick -= weights[i];
            if (pick <= 0) return candidates[i];
        }
        return candidates[n - 1];
    }

    // Mostly steps, sometimes a third, and always back toward the middle of the range.
    private static int Step(int degree, Random random)
    {
        int size = random.NextDouble() < 0.75 ? 1 : 2;
        int direction = degree > 4 ? -1 : degree < -2 ? 1 : random.Next(2) == 0 ? -1 : 1;
        return degree + size * direction;
    }

    private static bool IsDegree(int degree, int scaleDegree) => ((degree % 7) + 7) % 7 == scaleDegree;
}
