namespace Earworm.Audio.Synthesis;

/// <summary>
/// The workspace a style writes a track into: the beat grid, the key and its registers, the chord
/// of each bar, one seeded <see cref="Random"/>, and a stereo bus. Positions are in beats from the
/// first beat; this class turns them into frames so every style lands on the same exact grid that
/// <see cref="RenderedTrack.BeatTimesSeconds"/> reports.
/// </summary>
internal sealed class Arrangement : IHarmonicGrid
{
    private IReadOnlyList<Chord> _progression = [Chord.Tonic];
    private int _barsPerChord = 1;

    private readonly Dictionary<float[], int> _drumKeys = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Timbre, int> _channels = [];

    /// <param name="spec">The track.</param>
    /// <param name="sampleRate">Frames per second of the audio.</param>
    /// <param name="score">When given, every note and drum hit is also written into it as General MIDI (one channel
    /// per timbre, drums on channel 10) and no audio is rendered: the style's music as a score.</param>
    public Arrangement(TrackSpec spec, int sampleRate, Midi.MidiScore? score = null)
    {
        Score = score;
        Spec = spec;
        SampleRate = sampleRate;
        Random = new Random(spec.Seed);
        BeatsPerBar = StyleProfile.Of(spec.Style).BeatsPerBar;
        BeatSeconds = 60.0 / spec.TempoBpm;
        FrameCount = (int)Math.Round(spec.DurationSeconds * sampleRate);
        Mixer = new StereoMixer(FrameCount);
        // The first beat comes a little after 0 so onset detectors, which need a frame before an
        // onset, can see it; the offset varies with the seed so phase estimates are really tested.
        FirstBeatSeconds = 0.05 + 0.15 * Random.NextDouble();
        var beats = new List<double>();
        for (int k = 0; FirstBeatSeconds + k * BeatSeconds < (double)FrameCount / sampleRate; k++)
            beats.Add(FirstBeatSeconds + k * BeatSeconds);
        BeatTimesSeconds = beats;
        BarCount = Math.Max(1, (beats.Count + BeatsPerBar - 1) / BeatsPerBar);

        // Registers: bass tonic in G1..F#2, chords voiced in G3..F#4, melody tonic in G4..F#5.
        BassTonicMidi = Wrap(spec.Tonic, 31);
        ChordFloorMidi = 55;
        MelodyTonicMidi = Wrap(spec.Tonic, 67);
        // Drums tuned to the key, as producers do: the kick's body settles on the tonic (D1..C#2),
        // the snare's head rings on the fifth (E3..D#4). Untuned drums would add pitch classes
        // foreign to the key and blur it.
        KickHz = MusicTheory.MidiToHz(Wrap(spec.Tonic, 26));
        SnareHz = MusicTheory.MidiToHz(Wrap(spec.Tonic + 7, 52));
    }

    public TrackSpec Spec { get; }
    public Midi.MidiScore? Score { get; }
    public int SampleRate { get; }
    public Random Random { get; }
    public StereoMixer Mixer { get; }
    public int FrameCount { get; }
    public int BeatsPerBar { get; }
    public double BeatSeconds { get; }
    public double FirstBeatSeconds { get; }
    public IReadOnlyList<double> BeatTimesSeconds { get; }
    public int BarCount { get; }
    public int BassTonicMidi { get; }
    public int ChordFloorMidi { get; }
    public int MelodyTonicMidi { get; }
    public double KickHz { get; }
    public double SnareHz { get; }
    public Mode Mode => Spec.Mode;

    /// <summary>Beats from the first beat to the end of the track.</summary>
    public double LengthBeats => ((double)FrameCount / SampleRate - FirstBeatSeconds) / BeatSeconds;

    /// <summary>Sets the chords: <paramref name="progression"/> loops, each chord lasting
    /// <paramref name="barsPerChord"/> bars.</summary>
    public void UseProgression(IReadOnlyList<Chord> progression, int barsPerChord = 1)
    {
        _progression = progression;
        _barsPerChord = barsPerChord;
    }

    /// <summary>Picks one of <paramref name="choices"/> with the arrangement's random source.</summary>
    public T Pick<T>(params IReadOnlyList<T> choices) => choices[Random.Next(choices.Count)];

    /// <summary>The chord of <paramref name="bar"/>; the last bar always holds the tonic, so the
    /// track resolves home however its length cuts the progression.</summary>
    public Chord ChordOfBar(int bar)
    {
        if (bar >= BarCount - 1) return Chord.Tonic;
        return _progression[bar / _barsPerChord % _progression.Count];
    }

    /// <summary>The chord's root, third and fifth (in that order, so a pattern can pick the third),
    /// each placed in the octave above <paramref name="floorMidi"/>: a close voicing whose inversion
    /// follows from the key, so successive chords move by small steps.</summary>
    public int[] Voicing(Chord chord, int floorMidi) =>
        [.. MusicTheory.TriadPitchClasses(Spec.Tonic, Mode, chord).Select(pc => Wrap(pc, floorMidi))];

    /// <summary>The chord's root in the bass register.</summary>
    public int BassRoot(Chord chord) =>
        Wrap(MusicTheory.TriadPitchClasses(Spec.Tonic, Mode, chord)[0], BassTonicMidi - 5);

    /// <summary>Plays notes (a chord when several) of <paramref name="timbre"/> on the grid.</summary>
    /// <param name="startBeat">Beats after the first beat.</param>
    /// <param name="lengthBeats">Gate, in beats.</param>
    public void Play(Timbre timbre, IReadOnlyList<int> midiNotes, double startBeat, double lengthBeats, float gain,
        float pan = 0f, float velocity = 1f)
    {
        int frame = FrameOf(startBeat);
        if (frame >= FrameCount) return;
        if (Score is not null)
        {
            if (!_channels.TryGetValue(timbre, out int channel))
            {
                channel = _channels.Count >= Midi.MidiFile.DrumChannel ? _channels.Count + 1 : _channels.Count;
                _channels[timbre] = channel;
                Score.Instrument(channel, MidiSynthesis.ProgramOf(timbre), 0, timbre.ToString());
            }
            foreach (int note in midiNotes)
                Score.Note(channel, note, Quarters(startBeat), lengthBeats, MidiSynthesis.Velocity(gain, velocity));
            return;
        }
        Span<double> hz = stackalloc double[midiNotes.Count];
        for (int i = 0; i < hz.Length; i++) hz[i] = MusicTheory.MidiToHz(midiNotes[i]);
        var voice = Instruments.Render(timbre, hz, lengthBeats * BeatSeconds, SampleRate, velocity, Random);
        Mixer.Add(voice, frame, gain, pan);
    }

    /// <summary>Plays one note.</summary>
    public void Play(Timbre timbre, int midiNote, double startBeat, double lengthBeats, float gain, float pan = 0f,
        float velocity = 1f) =>
        Play(timbre, [midiNote], startBeat, lengthBeats, gain, pan, velocity);

    /// <summary>Mixes a one-shot drum sound at <paramref name="beat"/>.</summary>
    public void Hit(float[] sound, double beat, float gain, float pan = 0f)
    {
        int frame = FrameOf(beat);
        if (frame >= FrameCount) return;
        if (Score is not null)
        {
            int key = _drumKeys.TryGetValue(sound, out int k) ? k : throw new InvalidOperationException("A drum sound hit without its General MIDI key: make it with Kit.");
            Score.Note(Midi.MidiFile.DrumChannel, key, Quarters(beat), 0.25, MidiSynthesis.Velocity(gain, 1f));
            return;
        }
        Mixer.Add(sound, frame, gain, pan);
    }

    /// <summary>A drum sound, known from here on as General MIDI percussion key <paramref name="key"/> (36 kick,
    /// 38 snare, 39 clap, 42 closed hi-hat, 46 open hi-hat, 49 crash), for the score.</summary>
    public float[] Kit(int key, float[] sound)
    {
        _drumKeys[sound] = key;
        return sound;
    }

    // A grid position in the score's quarter notes (a beat is a quarter; the score starts at 0 s, the grid a little after).
    private double Quarters(double beat) => beat + FirstBeatSeconds / BeatSeconds;

    /// <summary>Frame nearest to a grid position.</summary>
    public int FrameOf(double beat) => (int)Math.Round((FirstBeatSeconds + beat * BeatSeconds) * SampleRate);

    /// <summary>A random value in [min, max), for gains and pans that vary a little per hit.</summary>
    public float Vary(float min, float max) => (float)(min + (max - min) * Random.NextDouble());

    // MIDI note of pitch class pc in [floor, floor + 12).
    private static int Wrap(int pc, int floor) => MusicTheory.NoteAtOrAbove(pc, floor);
}
