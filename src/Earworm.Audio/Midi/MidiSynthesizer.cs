using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Midi;

/// <summary>
/// Renders a <see cref="MidiFile"/> with Earworm's own synthesiser (<see cref="Instruments"/> and
/// <see cref="DrumVoices"/>): no soundfont, no external program, deterministic — for tests that need
/// audio of a score with known tempo and key on any machine. Each General MIDI program family maps to
/// the nearest <see cref="Timbre"/> (pianos, organs, guitars, basses, strings, winds, leads, pads); the
/// drum channel's kicks, snares, hi-hats, rides and crashes to drum voices. Timing follows the tempo
/// map; velocity scales the level. Far plainer than a soundfont: <see cref="Media.FluidSynthRenderer"/>
/// renders the benchmark sets.
/// </summary>
public static class MidiSynthesizer
{
    /// <summary>Stereo interleaved float32 at <paramref name="sampleRate"/> (mixed to an RMS of −16 dBFS and
    /// soft-limited), from the start to the last note-off plus a second of release.</summary>
    public static float[] Render(MidiFile file, int sampleRate = 22050, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (sampleRate is < 8000 or > 192000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must lie in 8000..192000 Hz.");
        var map = TempoMap.Of(file);
        var random = new Random(seed);
        var events = file.Merged().ToList();
        int frames = (int)Math.Ceiling((map.SecondsAt(file.EndTick) + 1) * sampleRate);
        var mixer = new StereoMixer(frames);
        var drums = new Dictionary<int, float[]>();
        var program = new int[16];
        var open = new Dictionary<(int Channel, int Note), Queue<NoteOnEvent>>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ProgramChangeEvent pc:
                    program[pc.Channel] = pc.Program;
                    break;
                case NoteOnEvent on when on.Channel == MidiFile.DrumChannel:
                    if (!drums.TryGetValue(on.Note, out var sound)) drums[on.Note] = sound = Drum(on.Note, sampleRate, random);
                    if (sound.Length > 0) mixer.Add(sound, Frame(map, on.Tick, sampleRate), 0.6f * on.Velocity / 127f);
                    break;
                case NoteOnEvent on:
                    if (!open.TryGetValue((on.Channel, on.Note), out var queue)) open[(on.Channel, on.Note)] = queue = new Queue<NoteOnEvent>();
                    queue.Enqueue(on);
                    break;
                case NoteOffEvent off when open.TryGetValue((off.Channel, off.Note), out var q) && q.Count > 0:
                    var start = q.Dequeue();
                    double gate = Math.Max(0.01, map.SecondsAt(off.Tick) - map.SecondsAt(start.Tick));
                    double hz = MusicTheory.MidiToHz(start.Note);
                    if (hz >= 0.45 * sampleRate) break;
                    var timbre = TimbreOf(program[start.Channel]);
                    var voice = Instruments.Render(timbre, [hz], gate, sampleRate, start.Velocity / 127f, random);
                    mixer.Add(voice, Frame(map, start.Tick, sampleRate), 0.3f * start.Velocity / 127f, (start.Channel % 3 - 1) * 0.3f);
                    break;
            }
        }
        return mixer.Finish(sampleRate, -16);
    }

    /// <summary>The Earworm timbre nearest a General MIDI program.</summary>
    public static Timbre TimbreOf(int program) => program switch
    {
        < 8 => Timbre.Piano,
        < 16 => Timbre.Bell,
        < 24 => Timbre.Organ,
        < 29 => Timbre.Pluck,
        < 32 => Timbre.OverdrivenGuitar,
        < 34 => Timbre.SubBass,
        < 40 => Timbre.SawBass,
        < 56 => Timbre.Strings,
        < 80 => Timbre.Flute,
        < 88 => Timbre.ChipSquare,
        < 96 => Timbre.Pad,
        _ => Timbre.Bell,
    };

    private static int Frame(TempoMap map, long tick, int sampleRate) => (int)Math.Round(map.SecondsAt(tick) * sampleRate);

    // General MIDI percussion keys to drum voices; keys without one are silent.
    private static float[] Drum(int key, int sampleRate, Random random) => key switch
    {
        35 or 36 => DrumVoices.Kick(sampleRate),
        37 => DrumVoices.ChipNoise(sampleRate, random, 0.02, 2),
        38 or 40 => DrumVoices.Snare(sampleRate, random),
        39 => DrumVoices.Clap(sampleRate, random),
        42 or 44 => DrumVoices.HiHat(sampleRate, random, 0.03),
        46 => DrumVoices.HiHat(sampleRate, random, 0.15),
        49 or 57 => DrumVoices.HiHat(sampleRate, random, 0.6),
        51 or 53 or 59 => DrumVoices.HiHat(sampleRate, random, 0.25),
        >= 41 and <= 50 => DrumVoices.Kick(sampleRate, 220, 110, 0.15),       // toms
        _ => [],
    };
}
