namespace Earworm.Audio.Synthesis;

/// <summary>House: kick on every beat, clap on 2 and 4, hats on the off-beats, a saw bass pumping
/// on the off-beats under a pad and syncopated pluck stabs.</summary>
internal static class HouseStyle
{
    public static void Render(Arrangement a)
    {
        a.UseProgression(a.Mode == Mode.Minor
            ? a.Pick(Progressions.MinorTonicHeavy, Progressions.Aeolian)
            : a.Pick(Progressions.MajorTonicHeavy, Progressions.Cadence(Mode.Major)));
        int sr = a.SampleRate;
        var kick = a.Kit(36, DrumVoices.Kick(sr, 3 * a.KickHz, a.KickHz));
        var clap = a.Kit(39, DrumVoices.Clap(sr, a.Random));
        var hat = a.Kit(42, DrumVoices.HiHat(sr, a.Random, 0.03));
        var openHat = a.Kit(46, DrumVoices.HiHat(sr, a.Random, 0.12));

        for (int bar = 0; bar < a.BarCount; bar++)
        {
            var chord = a.ChordOfBar(bar);
            double start = bar * a.BeatsPerBar;
            int root = a.BassRoot(chord);
            var voicing = a.Voicing(chord, a.ChordFloorMidi);
            a.Play(Timbre.Pad, voicing, start, a.BeatsPerBar, 0.2f);
            var stab = voicing.Select(n => n + 12).ToArray();
            a.Play(Timbre.Pluck, stab, start + 1.5, 0.25, 0.16f, -0.3f);
            a.Play(Timbre.Pluck, stab, start + 2.75, 0.25, 0.12f, 0.3f);

            for (int beat = 0; beat < a.BeatsPerBar; beat++)
            {
                double b = start + beat;
                a.Hit(kick, b, 1f);
                if (beat % 2 == 1) a.Hit(clap, b, 0.45f, 0.1f);
                bool open = beat == 3 && bar % 2 == 1;
                a.Hit(open ? openHat : hat, b + 0.5, a.Vary(0.24f, 0.3f), 0.35f);
                if (bar % 2 == 1) a.Hit(hat, b + 0.75, a.Vary(0.06f, 0.1f), -0.35f);   // 16th ghost notes
                // The bass answers the kick on the off-beat, with the root an octave up now and then.
                a.Play(Timbre.SawBass, beat == 2 && a.Random.NextDouble() < 0.3 ? root + 12 : root, b + 0.5, 0.4, 0.42f);
            }
        }
    }
}
