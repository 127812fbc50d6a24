using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Midi;

/// <summary>
/// Builds a <see cref="MidiFile"/> from music placed in quarter notes: tempo, time and key
/// signatures, instruments per channel and notes. Positions are rounded to the nearest tick once,
/// when the file is made. Format 1 puts tempo, metre and key in a conductor track and each
/// channel in a track of its own (named by its instrument), as sequencers do; format 0 puts
/// everything in one track.
/// </summary>
public sealed class MidiScore
{
    private readonly List<(double At, MidiEvent Event)> _conductor = [];
    private readonly SortedDictionary<int, List<(double At, double? Length, MidiEvent Event)>> _channels = [];
    private readonly Dictionary<int, string> _names = [];

    /// <summary>A score of <paramref name="ticksPerQuarter"/> ticks per quarter note (default 480).</summary>
    public MidiScore(int ticksPerQuarter = 480)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ticksPerQuarter, 0x7FFF);
        TicksPerQuarter = ticksPerQuarter;
    }

    /// <summary>Ticks per quarter note.</summary>
    public int TicksPerQuarter { get; }

    /// <summary>Notes added so far.</summary>
    public int NoteCount { get; private set; }

    /// <summary>From <paramref name="atQuarters"/> on, <paramref name="quarterBpm"/> quarter notes per minute.</summary>
    public MidiScore Tempo(double atQuarters, double quarterBpm)
    {
        _conductor.Add((Position(atQuarters), TempoEvent.FromQuarterBpm(0, quarterBpm)));
        return this;
    }

    /// <summary>From <paramref name="atQuarters"/> on, the metre <paramref name="numerator"/>/<paramref name="denominator"/>,
    /// the metronome clicking on its beat (every dotted quarter in 6/8).</summary>
    public MidiScore Metre(double atQuarters, int numerator, int denominator)
    {
        var ts = new TimeSignatureEvent(0, numerator, denominator);
        _conductor.Add((Position(atQuarters), ts with { ClocksPerClick = (int)Math.Round(24 * ts.BeatQuarters) }));
        return this;
    }

    /// <summary>From <paramref name="atQuarters"/> on, the key signature of <paramref name="tonic"/> <paramref name="mode"/>.</summary>
    public MidiScore Key(double atQuarters, int tonic, Mode mode)
    {
        _conductor.Add((Position(atQuarters), KeySignatureEvent.Of(0, tonic, mode)));
        return this;
    }

    /// <summary>Channel <paramref name="channel"/> plays General MIDI program <paramref name="program"/> from
    /// <paramref name="atQuarters"/> on; <paramref name="name"/> names its track.</summary>
    public MidiScore Instrument(int channel, int program, double atQuarters = 0, string? name = null)
    {
        CheckChannel(channel);
        if (program is < 0 or > 127) throw new ArgumentOutOfRangeException(nameof(program), program, "Programs are 0..127.");
        Channel(channel).Add((Position(atQuarters), null, new ProgramChangeEvent(0, channel, program)));
        if (name is not null) _names[channel] = name;
        return this;
    }

    /// <summary>Sets controller <paramref name="controller"/> of a channel (7 volume, 10 pan…) at <paramref name="atQuarters"/>.</summary>
    public MidiScore Control(int channel, int controller, int value, double atQuarters = 0)
    {
        CheckChannel(channel);
        if (controller is < 0 or > 127 || value is < 0 or > 127) throw new ArgumentOutOfRangeException(nameof(value), value, "Controllers and values are 0..127.");
        Channel(channel).Add((Position(atQuarters), null, new ControlChangeEvent(0, channel, controller, value)));
        return this;
    }

    /// <summary>A note: key <paramref name="note"/> on <paramref name="channel"/> from <paramref name="startQuarters"/>
    /// for <paramref name="lengthQuarters"/> (at least one tick), at <paramref name="velocity"/> 1..127. A start
    /// before 0 (a humanised note early on the first beat) is moved to 0.</summary>
    public MidiScore Note(int channel, int note, double startQuarters, double lengthQuarters, int velocity)
    {
        CheckChannel(channel);
        if (note is < 0 or > 127) throw new ArgumentOutOfRangeException(nameof(note), note, "Notes are 0..127.");
        if (velocity is < 1 or > 127) throw new ArgumentOutOfRangeException(nameof(velocity), velocity, "Velocities are 1..127.");
        if (!(lengthQuarters > 0)) throw new ArgumentOutOfRangeException(nameof(lengthQuarters), lengthQuarters, "A note lasts a positive time.");
        if (!double.IsFinite(startQuarters)) throw new ArgumentOutOfRangeException(nameof(startQuarters), startQuarters, "A note starts at a finite time.");
        Channel(channel).Add((Math.Max(0, startQuarters), lengthQuarters, new NoteOnEvent(0, channel, note, velocity)));
        NoteCount++;
        return this;
    }

    /// <summary>The file: format 1 (a conductor track, then a track per channel) or 0 (one track).</summary>
    public MidiFile ToMidiFile(int format = 1, string? title = null)
    {
        if (format is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(format), format, "Format 0 or 1.");
        var conductor = new List<MidiEvent>();
        if (title is not null) conductor.Add(new TextEvent(0, TextEvent.TrackName, title));
        conductor.AddRange(_conductor.Select(c => c.Event with { Tick = Ticks(c.At) }));
        var tracks = new List<List<MidiEvent>> { conductor };
        foreach (var (channel, items) in _channels)
        {
            var events = new List<MidiEvent>();
            if (_names.TryGetValue(channel, out var name)) events.Add(new TextEvent(0, TextEvent.TrackName, name));
            foreach (var (at, length, e) in items)
            {
                long tick = Ticks(at);
                if (e is NoteOnEvent on)
                {
                    long off = Math.Max(tick + 1, Ticks(at + length!.Value));
                    events.Add(on with { Tick = tick });
                    events.Add(new NoteOffEvent(off, channel, on.Note, 0));
                }
                else
                {
                    events.Add(e with { Tick = tick });
                }
            }
            tracks.Add(events);
        }
        if (format == 0) return new MidiFile(0, TicksPerQuarter, [new MidiTrack(MidiWriter.InWriteOrder(tracks.SelectMany(t => t)))]);
        return new MidiFile(1, TicksPerQuarter, [.. tracks.Select(t => new MidiTrack(MidiWriter.InWriteOrder(t)))]);
    }

    private List<(double, double?, MidiEvent)> Channel(int channel)
    {
        if (!_channels.TryGetValue(channel, out var list)) _channels[channel] = list = [];
        return list;
    }

    private long Ticks(double quarters) => (long)Math.Round(quarters * TicksPerQuarter);

    private static double Position(double quarters) =>
        quarters >= 0 && double.IsFinite(quarters) ? quarters : throw new ArgumentOutOfRangeException(nameof(quarters), quarters, "Positions are finite and not negative.");

    private static void CheckChannel(int channel)
    {
        if (channel is < 0 or > 15) throw new ArgumentOutOfRangeException(nameof(channel), channel, "Channels are 0..15.");
    }
}
