using Earworm.Audio.Midi;

namespace Earworm.Audio.Synthesis;

/// <summary>
/// Writes a <see cref="GrooveSpec"/> as a General MIDI file: a band of drums (channel 10), bass,
/// chords and a melody in the feel, tempo and key of the spec, with instruments, patterns and the
/// melody drawn from the seed, and every note humanised a little in time and velocity. The file
/// states its ground truth: the tempo (quarter notes per minute), the time signature (so the
/// counted beat: <see cref="TimeSignatureEvent.BeatQuarters"/>) and the key signature.
/// Rendered with <see cref="Media.FluidSynthRenderer"/> it is test music whose tempo and key
/// are known exactly. Pure and deterministic.
/// </summary>
public static class GrooveWriter
{
    /// <summary>Channel of the melody.</summary>
    public const int MelodyChannel = 0;

    /// <summary>Channel of the chords.</summary>
    public const int ChordChannel = 1;

    /// <summary>Channel of the bass.</summary>
    public const int BassChannel = 2;

    /// <summary>The piece of <paramref name="spec"/> as a format 1 file.</summary>
    public static MidiFile Write(GrooveSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var g = new Groove(spec);
        switch (spec.Feel)
        {
            case Feel.Straight: GroovePatterns.Straight(g); break;
            case Feel.Swing: GroovePatterns.Swing(g); break;
            case Feel.Shuffle: GroovePatterns.Shuffle(g); break;
            case Feel.SixEight: GroovePatterns.SixEight(g); break;
            case Feel.TwelveEight: GroovePatterns.TwelveEight(g); break;
            default: throw new ArgumentOutOfRangeException(nameof(spec), spec.Feel, "Unknown feel.");
        }
        string title = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{spec.Feel} at {spec.BeatBpm:0.#} BPM in {spec.KeyName}, seed {spec.Seed}");
        return g.Score.ToMidiFile(1, title);
    }
}

/// <summary>The piece being written: its grid (bars of <see cref="GrooveSpec.BarQuarters"/> quarter notes after a
/// short lead-in), key and registers, chords, instruments and the humanising note writer.</summary>
internal sealed class Groove : IHarmonicGrid
{
    /// <summary>General MIDI percussion keys.</summary>
    public const int Kick = 36, SideStick = 37, Snare = 38, ClosedHat = 42, PedalHat = 44, OpenHat = 46, Crash = 49, Ride = 51;

    private readonly double _jitterQuarters;
    private IReadOnlyList<Chord> _progression = [Chord.Tonic];

    public Groove(GrooveSpec spec)
    {
        Spec = spec;
        Random = new Random(spec.Seed);
        Score = new MidiScore(480);
        double quarterSeconds = 60 / spec.QuarterBpm;
        // Half a second of silence first: onset detectors need a frame before the first note.
        LeadInQuarters = Math.Round(0.5 / quarterSeconds * 4) / 4;
        BarCount = Math.Max(1, (int)Math.Round(spec.DurationSeconds / quarterSeconds / spec.BarQuarters));
        _jitterQuarters = spec.TimingJitterSeconds / quarterSeconds;
        var (num, den) = spec.TimeSignature;
        Score.Tempo(0, spec.QuarterBpm).Metre(0, num, den).Key(0, spec.Tonic, spec.Mode);
        BassTonicMidi = MusicTheory.NoteAtOrAbove(spec.Tonic, 33);      // A1..G#2
        ChordFloorMidi = 55;                                            // chords in G3..F#4
        MelodyTonicMidi = MusicTheory.NoteAtOrAbove(spec.Tonic, 65);   // F4..E5
    }

    public GrooveSpec Spec { get; }
    public Random Random { get; }
    public MidiScore Score { get; }
    public int BarCount { get; }
    public int BeatsPerBar => Spec.BarQuarters;
    public Mode Mode => Spec.Mode;
    public int MelodyTonicMidi { get; }
    public int BassTonicMidi { get; }
    public int ChordFloorMidi { get; }
    public double LeadInQuarters { get; }

    /// <summary>Quarter-note position of the start of <paramref name="bar"/>.</summary>
    public double BarStart(int bar) => LeadInQuarters + bar * (double)Spec.BarQuarters;

    public void UseProgression(IReadOnlyList<Chord> progression) => _progression = progression;

    /// <summary>The chord of a bar; the last bar holds the tonic, so the piece ends at home.</summary>
    public Chord ChordOfBar(int bar) => bar >= BarCount - 1 ? Chord.Tonic : _progression[bar % _progression.Count];

    public T Pick<T>(params IReadOnlyList<T> choices) => choices[Random.Next(choices.Count)];

    public bool Chance(double p) => Random.NextDouble() < p;

    /// <summary>Sets a channel's instrument, drawn from <paramref name="programs"/>.</summary>
    public void Instrument(int channel, string role, params IReadOnlyList<int> programs) =>
        Score.Instrument(channel, Pick(programs), 0, role);

    /// <summary>A note at a quarter-note position, humanised: its start moved by Gaussian jitter (at
    /// most two deviations), its velocity by up to ±8.</summary>
    public void Note(int channel, int midi, double atQuarters, double lengthQuarters, int velocity)
    {
        double jitter = _jitterQuarters > 0 ? Math.Clamp(Gaussian() * _jitterQuarters, -2 * _jitterQuarters, 2 * _jitterQuarters) : 0;
        int v = Math.Clamp(velocity + Random.Next(-8, 9), 1, 127);
        Score.Note(channel, Math.Clamp(midi, 0, 127), atQuarters + jitter, lengthQuarters, v);
    }

    /// <summary>A chord (several notes struck together, each humanised on its own).</summary>
    public void Notes(int channel, IEnumerable<int> midi, double atQuarters, double lengthQuarters, int velocity)
    {
        foreach (int m in midi) Note(channel, m, atQuarters, lengthQuarters, velocity);
    }

    /// <summary>A drum hit on General MIDI's drum channel.</summary>
    public void Drum(int key, double atQuarters, int velocity) => Note(MidiFile.DrumChannel, key, atQuarters, 0.25, velocity);

    /// <summary>The chord's triad in close position from <paramref name="floorMidi"/> up.</summary>
    public int[] Voicing(Chord chord, int floorMidi) =>
        [.. MusicTheory.TriadPitchClasses(Spec.Tonic, Mode, chord).Select(pc => MusicTheory.NoteAtOrAbove(pc, floorMidi))];

    /// <summary>A bass note <paramref name="step"/> scale degrees above the chord's root (0 root, 2 third,
    /// 4 fifth, 5 sixth, 7 octave), diatonic to the key.</summary>
    public int Bass(Chord chord, int step) =>
        MusicTheory.ScaleNote(BassTonicMidi, Mode, chord.Degree % 7 + step, chord.RaisedLeadingTone);

    /// <summary>Writes the melody on <see cref="GrooveWriter.MelodyChannel"/> from bar-long rhythms (quarter notes).</summary>
    public void Melody(IReadOnlyList<(double Offset, double Length)[]> rhythms, int velocity, double legato = 0.92)
    {
        foreach (var n in MelodyWriter.Write(this, rhythms))
            Note(GrooveWriter.MelodyChannel, n.Midi, LeadInQuarters + n.StartBeat, n.LengthBeats * legato, velocity);
    }

    private double Gaussian()
    {
        double u = 1 - Random.NextDouble(), v = Random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
