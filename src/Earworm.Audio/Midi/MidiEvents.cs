using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Midi;

/// <summary>An event of a Standard MIDI File track, at an absolute position in ticks from the start
/// (the file's delta times summed); <see cref="MidiFile.TicksPerQuarter"/> gives the tick's length.</summary>
public abstract record MidiEvent(long Tick);

/// <summary>Note on, channel 0..15 (9 is General MIDI's drum channel), key 0..127, velocity 1..127.
/// A note-on of velocity 0 is read as a <see cref="NoteOffEvent"/>, as the standard defines it.</summary>
public sealed record NoteOnEvent(long Tick, int Channel, int Note, int Velocity) : MidiEvent(Tick);

/// <summary>Note off, channel 0..15, key 0..127, release velocity 0..127.</summary>
public sealed record NoteOffEvent(long Tick, int Channel, int Note, int Velocity = 0) : MidiEvent(Tick);

/// <summary>Program change: the General MIDI instrument 0..127 (0 acoustic grand piano, 32 acoustic
/// bass, …) of a channel from here on.</summary>
public sealed record ProgramChangeEvent(long Tick, int Channel, int Program) : MidiEvent(Tick);

/// <summary>Control change: controller 0..127 (7 volume, 10 pan, 64 sustain, …) to a value 0..127.</summary>
public sealed record ControlChangeEvent(long Tick, int Channel, int Controller, int Value) : MidiEvent(Tick);

/// <summary>Set tempo (meta 0x51): microseconds per quarter note, 1..16 777 215.</summary>
public sealed record TempoEvent(long Tick, int MicrosecondsPerQuarter) : MidiEvent(Tick)
{
    /// <summary>The standard's tempo when a file sets none: 500 000 µs per quarter, 120 BPM.</summary>
    public const int DefaultMicrosecondsPerQuarter = 500_000;

    /// <summary>Quarter notes per minute.</summary>
    public double QuarterBpm => 60e6 / MicrosecondsPerQuarter;

    /// <summary>The event that sets <paramref name="quarterBpm"/> quarter notes per minute (rounded to a microsecond).</summary>
    public static TempoEvent FromQuarterBpm(long tick, double quarterBpm)
    {
        if (!(quarterBpm > 60e6 / 0xFFFFFF && quarterBpm <= 60e6)) throw new ArgumentOutOfRangeException(nameof(quarterBpm), quarterBpm, "Tempo must lie in 3.6..60 000 000 quarter notes per minute.");
        return new TempoEvent(tick, (int)Math.Round(60e6 / quarterBpm));
    }
}

/// <summary>Time signature (meta 0x58): numerator / denominator (a power of two), MIDI clocks per
/// metronome click (24 per quarter note; 36 clicks on the dotted quarter of 6/8) and notated
/// 32nd notes per quarter (8).</summary>
public sealed record TimeSignatureEvent(long Tick, int Numerator, int Denominator, int ClocksPerClick = 24, int ThirtySecondsPerQuarter = 8)
    : MidiEvent(Tick)
{
    /// <summary>Compound metre (6/8, 9/8, 12/8, 6/16…): a numerator of 6, 9, 12… over an eighth note or
    /// shorter, where the beat is felt on every third note, a dotted note.</summary>
    public bool IsCompound => Numerator > 3 && Numerator % 3 == 0 && Denominator >= 8;

    /// <summary>The counted beat in quarter notes: the denominator's note (1 in 4/4 and 3/4, 2 in 2/2),
    /// or in compound metre three of them (1.5, the dotted quarter, in 6/8 and 12/8).</summary>
    public double BeatQuarters => (IsCompound ? 3 : 1) * 4.0 / Denominator;

    /// <summary>Beats in a bar: the numerator, or a third of it in compound metre (2 in 6/8, 4 in 12/8).</summary>
    public int BeatsPerBar => IsCompound ? Numerator / 3 : Numerator;

    /// <summary>Length of a bar in quarter notes.</summary>
    public double BarQuarters => Numerator * 4.0 / Denominator;

    /// <summary>"6/8".</summary>
    public string Text => $"{Numerator}/{Denominator}";
}

/// <summary>Key signature (meta 0x59): sharps (positive) or flats (negative), −7..7, and the mode.</summary>
public sealed record KeySignatureEvent(long Tick, int Sharps, Mode Mode) : MidiEvent(Tick)
{
    /// <summary>Pitch class of the tonic (C = 0): the major key 7·sharps mod 12 semitones above C, or its
    /// relative minor three semitones below.</summary>
    public int Tonic => MusicTheory.PitchClass(7 * Sharps + (Mode == Mode.Minor ? 9 : 0));

    /// <summary>"A minor".</summary>
    public string KeyName => MusicTheory.KeyName(Tonic, Mode);

    /// <summary>The signature of a key, with −5..6 sharps (F♯ major with six sharps, D♭ with five flats).</summary>
    public static KeySignatureEvent Of(long tick, int tonic, Mode mode)
    {
        if (tonic is < 0 or > 11) throw new ArgumentOutOfRangeException(nameof(tonic), tonic, "Tonic must be a pitch class 0..11.");
        int major = mode == Mode.Major ? tonic : MusicTheory.PitchClass(tonic + 3);
        int sharps = MusicTheory.PitchClass(7 * major);        // 7 is its own inverse mod 12
        if (sharps > 6) sharps -= 12;
        return new KeySignatureEvent(tick, sharps, mode);
    }
}

/// <summary>A text meta event (types 0x01..0x0F: 1 text, 2 copyright, 3 track name, 4 instrument,
/// 5 lyric, 6 marker, 7 cue point), as Latin-1 text.</summary>
public sealed record TextEvent(long Tick, int Type, string Text) : MidiEvent(Tick)
{
    /// <summary>Meta type of a track's name.</summary>
    public const int TrackName = 0x03;
}

/// <summary>Any other event, kept byte for byte so a file reads and writes back unchanged: pitch bend,
/// aftertouch, system exclusive (F0/F7, length, data), other meta events (FF, type, length, data).</summary>
/// <param name="Tick">Absolute position in ticks.</param>
/// <param name="Bytes">The event as stored, status byte first (with running status made explicit).</param>
public sealed record RawMidiEvent(long Tick, IReadOnlyList<byte> Bytes) : MidiEvent(Tick);
