namespace Earworm.Audio.Midi;

/// <summary>
/// Excerpts of MIDI files on a clock of milliseconds, and medleys of them — so that many short pieces, each with its
/// own instruments, render in one synthesiser run (a soundfont that takes seconds to load is loaded once) and the
/// rendering splits back into the pieces at known sample positions.
/// </summary>
/// <remarks>
/// A clip is a format 0 file at <see cref="TicksPerQuarter"/> ticks per quarter and one tempo of 60 quarter notes per
/// minute, so a tick is a millisecond. It holds the channel messages only — notes, program and control changes, pitch
/// bend, aftertouch — and no system exclusive, meta or bank-select events: a GM or GS reset in the middle of a medley, or
/// a bank select turning a channel into a drum kit, would make what sounds differ from what the file says
/// (<see cref="MidiInstrumentation"/>), so every clip is plain General MIDI, drums on channel 10 only.
/// </remarks>
public static class MidiClip
{
    /// <summary>Ticks per quarter note of a clip; at 60 quarter notes per minute one tick is a millisecond.</summary>
    public const int TicksPerQuarter = 1000;

    private const int MicrosecondsPerQuarter = 1_000_000;

    /// <summary>
    /// The notes of <paramref name="file"/> that start within [<paramref name="startSeconds"/>,
    /// <paramref name="startSeconds"/> + <paramref name="lengthSeconds"/>) — each released by the end of the clip at the
    /// latest — on a millisecond clock starting at 0, after the state every channel had at the start (its program, its
    /// controllers but bank select and the channel-mode messages, its pitch bend). Notes still sounding from before the
    /// start are left out: what the clip plays is what it says.
    /// </summary>
    public static MidiFile Cut(MidiFile file, double startSeconds, double lengthSeconds)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!(startSeconds >= 0) || !double.IsFinite(startSeconds)) throw new ArgumentOutOfRangeException(nameof(startSeconds), startSeconds, "The start is a time from 0 on.");
        if (!(lengthSeconds > 0) || !double.IsFinite(lengthSeconds)) throw new ArgumentOutOfRangeException(nameof(lengthSeconds), lengthSeconds, "A clip lasts a positive time.");
        var map = TempoMap.Of(file);
        long end = Milliseconds(lengthSeconds);
        var program = new Dictionary<int, ProgramChangeEvent>();
        var controls = new Dictionary<(int Channel, int Controller), ControlChangeEvent>();
        var bend = new Dictionary<int, RawMidiEvent>();
        var events = new List<MidiEvent> { new TempoEvent(0, MicrosecondsPerQuarter) };
        var open = new Dictionary<(int Channel, int Note), Queue<NoteOnEvent>>();
        foreach (var e in file.Merged())
        {
            long at = Milliseconds(map.SecondsAt(e.Tick) - startSeconds);
            if (at < 0)
            {
                // before the clip: remember the channel's state
                switch (e)
                {
                    case ProgramChangeEvent pc: program[pc.Channel] = pc; break;
                    case ControlChangeEvent cc when Kept(cc): controls[(cc.Channel, cc.Controller)] = cc; break;
                    case RawMidiEvent raw when raw.Bytes.Count == 3 && (raw.Bytes[0] & 0xF0) == 0xE0: bend[raw.Bytes[0] & 0x0F] = raw; break;
                }
                continue;
            }
            switch (e)
            {
                case NoteOnEvent on when at < end:
                    var n = on with { Tick = at };
                    events.Add(n);
                    if (!open.TryGetValue((on.Channel, on.Note), out var queue)) open[(on.Channel, on.Note)] = queue = new();
                    queue.Enqueue(n);
                    break;
                case NoteOffEvent off when open.TryGetValue((off.Channel, off.Note), out var q) && q.Count > 0:
                    q.Dequeue();
                    events.Add(off with { Tick = Math.Min(at, end) });
                    break;
                case ProgramChangeEvent pc when at < end:
                    events.Add(pc with { Tick = at });
                    break;
                case ControlChangeEvent cc when at < end && Kept(cc):
                    events.Add(cc with { Tick = at });
                    break;
                case RawMidiEvent raw when at < end && raw.Bytes.Count > 0 && raw.Bytes[0] is >= 0xA0 and < 0xF0 and not (>= 0xC0 and < 0xD0):
                    events.Add(raw with { Tick = at });
                    break;
            }
        }
        foreach (var q in open.Values)
            foreach (var on in q) events.Add(new NoteOffEvent(end, on.Channel, on.Note));
        var state = new List<MidiEvent>();
        state.AddRange(program.Values.Select(p => p with { Tick = 0 }));
        state.AddRange(controls.Values.Select(c => c with { Tick = 0 }));
        state.AddRange(bend.Values.Select(b => b with { Tick = 0 }));
        return new MidiFile(0, TicksPerQuarter, [new MidiTrack(MidiWriter.InWriteOrder([.. state, .. events]))]);
    }

    /// <summary>The same clip without the notes of <paramref name="channels"/> (muted parts).</summary>
    public static MidiFile Without(MidiFile clip, IReadOnlySet<int> channels)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(channels);
        return clip with
        {
            Tracks = [.. clip.Tracks.Select(t => new MidiTrack([.. t.Events.Where(e => e switch
            {
                NoteOnEvent on => !channels.Contains(on.Channel),
                NoteOffEvent off => !channels.Contains(off.Channel),
                _ => true,
            })]))],
        };
    }

    /// <summary>
    /// One file playing <paramref name="clips"/> (made by <see cref="Cut"/>) one after the other, clip i from
    /// i × <paramref name="slotSeconds"/> on; each slot starts with every channel silenced and reset to General MIDI's
    /// defaults (all sound off, all notes off, controllers reset, volume 100, pan centre, reverb 40, chorus 0, program 0,
    /// pitch bend centred), so no clip inherits anything from the one before, not even a note still sounding. A slot
    /// longer than its clip leaves room for the reverb's tail. The last slot ends the same way, so the file lasts
    /// exactly its slots.
    /// </summary>
    public static MidiFile Medley(IReadOnlyList<MidiFile> clips, double slotSeconds)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (!(slotSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(slotSeconds), slotSeconds, "A slot lasts a positive time.");
        long slot = Milliseconds(slotSeconds);
        var events = new List<MidiEvent> { new TempoEvent(0, MicrosecondsPerQuarter) };
        for (int i = 0; i < clips.Count; i++)
        {
            var clip = clips[i];
            if (clip.TicksPerQuarter != TicksPerQuarter || clip.Merged().OfType<TempoEvent>().Any(t => t.MicrosecondsPerQuarter != MicrosecondsPerQuarter))
                throw new ArgumentException($"Clip {i} is not on a millisecond clock; make clips with MidiClip.Cut.", nameof(clips));
            if (clip.EndTick > slot) throw new ArgumentException($"Clip {i} lasts {clip.EndTick} ms, longer than a slot of {slot} ms.", nameof(clips));
            long at = i * slot;
            for (int channel = 0; channel < 16; channel++)
            {
                events.Add(new ControlChangeEvent(at, channel, 120, 0));
                events.Add(new ControlChangeEvent(at, channel, 123, 0));
                events.Add(new ControlChangeEvent(at, channel, 121, 0));
                events.Add(new ControlChangeEvent(at, channel, 7, 100));
                events.Add(new ControlChangeEvent(at, channel, 10, 64));
                events.Add(new ControlChangeEvent(at, channel, 91, 40));
                events.Add(new ControlChangeEvent(at, channel, 93, 0));
                events.Add(new ProgramChangeEvent(at, channel, 0));
                events.Add(new RawMidiEvent(at, [(byte)(0xE0 | channel), 0x00, 0x40]));
            }
            events.AddRange(clip.Merged().Where(e => e is not TempoEvent).Select(e => e with { Tick = e.Tick + at }));
        }
        for (int channel = 0; channel < 16; channel++)
        {
            events.Add(new ControlChangeEvent(clips.Count * slot, channel, 120, 0));
            events.Add(new ControlChangeEvent(clips.Count * slot, channel, 121, 0));
        }
        return new MidiFile(0, TicksPerQuarter, [new MidiTrack(MidiWriter.InWriteOrder(events))]);
    }

    /// <summary>How long <paramref name="file"/> plays, seconds (to its last event).</summary>
    public static double DurationSeconds(MidiFile file) => TempoMap.Of(file).SecondsAt(file.EndTick);

    private static long Milliseconds(double seconds) => (long)Math.Round(seconds * 1000);

    // Bank select (0, 32) and the channel-mode messages (120..127) never go into a clip.
    private static bool Kept(ControlChangeEvent cc) => cc.Controller is not (0 or 32) and < 120;
}
