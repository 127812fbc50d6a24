namespace Earworm.Audio.Synthesis;

/// <summary>Ambient: overlapping slow pads whose filters open as they sustain, a low drone on the
/// tonic and fifth, and a few soft bell notes on the beat. No percussion.</summary>
internal static class AmbientPadStyle
{
    public static void Render(Arrangement a)
    {
        a.UseProgression(a.Mode == Mode.Major
            ? a.Pick(Progressions.MajorTonicHeavy, Progressions.MajorDrift)
            : a.Pick(Progressions.MinorTonicHeavy, Progressions.MinorDrift));

        // The drone holds the whole track: tonic and fifth in the bass register.
        int tonic = a.BassTonicMidi + 12;
        a.Play(Timbre.Flute, [tonic, tonic + 7], 0, a.LengthBeats, 0.3f);

        for (int bar = 0; bar < a.BarCount; bar++)
        {
            var chord = a.ChordOfBar(bar);
            double start = bar * a.BeatsPerBar;
            // Pads overlap the next bar by a beat (their release is long too): no gap, no attack edge.
            a.Play(Timbre.Pad, a.Voicing(chord, a.ChordFloorMidi), start, a.BeatsPerBar + 1, 0.32f, a.Vary(-0.3f, 0.3f));
            var high = a.Voicing(chord, a.ChordFloorMidi + 12);
            for (int beat = 0; beat < a.BeatsPerBar; beat++)
            {
                if (a.Random.NextDouble() < 0.4)
                    a.Play(Timbre.Bell, a.Pick(high) + 12, start + beat, 1, a.Vary(0.06f, 0.1f), a.Vary(-0.6f, 0.6f), 0.7f);
            }
        }
    }
}
