namespace Earworm.Audio.Synthesis;

/// <summary>Rock: kick on 1 and 3, snare backbeat on 2 and 4, eighth hats; palm-muted power chords
/// in eighths, double-tracked left and right; bass on the roots; an organ holding the full triad so
/// the mode is heard (a power chord has no third).</summary>
internal static class RockStyle
{
    public static void Render(Arrangement a)
    {
        a.UseProgression(a.Mode == Mode.Minor
            ? a.Pick(Progressions.MinorTonicHeavy, Progressions.Aeolian)
            : a.Pick(Progressions.MajorTonicHeavy, Progressions.Cadence(Mode.Major)));
        int sr = a.SampleRate;
        var kick = a.Kit(36, DrumVoices.Kick(sr, 2.5 * a.KickHz, a.KickHz, 0.1));
        var snare = a.Kit(38, DrumVoices.Snare(sr, a.Random, 0.14, a.SnareHz));
        var hat = a.Kit(42, DrumVoices.HiHat(sr, a.Random, 0.04));
        var crash = a.Kit(49, DrumVoices.HiHat(sr, a.Random, 0.6));

        for (int bar = 0; bar < a.BarCount; bar++)
        {
            var chord = a.ChordOfBar(bar);
            double start = bar * a.BeatsPerBar;
            if (bar % 4 == 0) a.Hit(crash, start, 0.35f, -0.4f);
            for (int beat = 0; beat < a.BeatsPerBar; beat++)
            {
                double b = start + beat;
                if (beat % 2 == 0) a.Hit(kick, b, 1f);
                else a.Hit(snare, b, 0.85f, 0.05f);
                a.Hit(hat, b, 0.3f, 0.4f);
                a.Hit(hat, b + 0.5, 0.18f, 0.4f);
            }
            if (a.Random.NextDouble() < 0.5) a.Hit(kick, start + 2.5, 0.7f);

            int root = a.BassRoot(chord);
            int guitarRoot = root + 12;
            int[] power = [guitarRoot, guitarRoot + 7, guitarRoot + 12];
            for (int e = 0; e < 2 * a.BeatsPerBar; e++)
            {
                double b = start + 0.5 * e;
                float accent = e % 2 == 0 ? 1f : 0.8f;
                a.Play(Timbre.OverdrivenGuitar, power, b, 0.4, 0.2f * accent, -0.7f);
                a.Play(Timbre.OverdrivenGuitar, power, b, 0.4, 0.2f * accent, 0.7f);
                a.Play(Timbre.SawBass, root, b, 0.4, 0.35f);
            }
            a.Play(Timbre.Organ, a.Voicing(chord, a.ChordFloorMidi + 5), start, a.BeatsPerBar, 0.2f);
        }
    }
}
