namespace Earworm.Audio.Midi;

/// <summary>One track of a Standard MIDI File: its events in time order (absolute ticks).</summary>
public sealed record MidiTrack(IReadOnlyList<MidiEvent> Events)
{
    /// <summary>The track's name (its first track-name meta event), or null.</summary>
    public string? Name => Events.OfType<TextEvent>().FirstOrDefault(e => e.Type == TextEvent.TrackName)?.Text;
}

/// <summary>
/// A Standard MIDI File (SMF 1.0): format 0 (one track holding every channel), 1 (simultaneous
/// tracks, the first usually a conductor track of tempo, metre and key) or 2 (independent
/// sequences; read, but timing is then per track), with a metrical time base of
/// <see cref="TicksPerQuarter"/>. <see cref="MidiReader"/> reads one, <see cref="MidiWriter"/> writes one,
/// <see cref="MidiScore"/> builds one from notes placed in quarter notes.
/// </summary>
/// <param name="Format">0, 1 or 2.</param>
/// <param name="TicksPerQuarter">Ticks per quarter note, 1..32 767 (SMPTE time bases are not supported).</param>
/// <param name="Tracks">The tracks; exactly one in format 0.</param>
public sealed record MidiFile(int Format, int TicksPerQuarter, IReadOnlyList<MidiTrack> Tracks)
{
    /// <summary>General MIDI's percussion channel (channel 10 counted from 1).</summary>
    public const int DrumChannel = 9;

    /// <summary>Every event of every track, merged in time order (stable: at one tick, tracks in order).</summary>
    public IEnumerable<MidiEvent> Merged() =>
        Tracks.SelectMany((t, i) => t.Events.Select((e, j) => (e, i, j))).OrderBy(x => x.e.Tick).ThenBy(x => x.i).ThenBy(x => x.j).Select(x => x.e);

    /// <summary>The last tick of any event.</summary>
    public long EndTick => Tracks.Count == 0 ? 0 : Tracks.Max(t => t.Events.Count == 0 ? 0 : t.Events[^1].Tick);

    /// <summary>The channels that sound a note.</summary>
    public IReadOnlyList<int> NoteChannels =>
        [.. Tracks.SelectMany(t => t.Events).OfType<NoteOnEvent>().Select(e => e.Channel).Distinct().Order()];

    /// <summary>
    /// The same music with other instruments: every program change on a channel named in
    /// <paramref name="programByChannel"/> gets that program, and a channel that plays notes without
    /// any program change before its first note gets one at its first note (in the track that
    /// holds that note). For rendering one score with many instrument assignments.
    /// </summary>
    /// <param name="programByChannel">General MIDI program 0..127 per channel 0..15; the drum
    /// channel's program picks a drum kit.</param>
    public MidiFile WithPrograms(IReadOnlyDictionary<int, int> programByChannel)
    {
        ArgumentNullException.ThrowIfNull(programByChannel);
        foreach (var (channel, program) in programByChannel)
        {
            if (channel is < 0 or > 15) throw new ArgumentOutOfRangeException(nameof(programByChannel), channel, "Channels are 0..15.");
            if (program is < 0 or > 127) throw new ArgumentOutOfRangeException(nameof(programByChannel), program, "Programs are 0..127.");
        }
        var firstNote = new Dictionary<int, (long Tick, int Track)>();
        for (int t = 0; t < Tracks.Count; t++)
        {
            foreach (var on in Tracks[t].Events.OfType<NoteOnEvent>())
                if (!firstNote.TryGetValue(on.Channel, out var seen) || on.Tick < seen.Tick) firstNote[on.Channel] = (on.Tick, t);
        }
        // A channel is covered by a program change at or before its first note, in any track.
        var covered = Tracks.SelectMany(t => t.Events).OfType<ProgramChangeEvent>()
            .Where(pc => !firstNote.TryGetValue(pc.Channel, out var first) || pc.Tick <= first.Tick)
            .Select(pc => pc.Channel).ToHashSet();

        var tracks = new List<MidiTrack>(Tracks.Count);
        for (int t = 0; t < Tracks.Count; t++)
        {
            var events = new List<MidiEvent>(Tracks[t].Events.Count + 1);
            foreach (var (channel, program) in programByChannel)
            {
                if (!covered.Contains(channel) && firstNote.TryGetValue(channel, out var first) && first.Track == t)
                    events.Add(new ProgramChangeEvent(first.Tick, channel, program));
            }
            foreach (var e in Tracks[t].Events)
            {
                events.Add(e is ProgramChangeEvent pc && programByChannel.TryGetValue(pc.Channel, out int p) ? pc with { Program = p } : e);
            }
            tracks.Add(new MidiTrack(MidiWriter.InWriteOrder(events)));
        }
        return this with { Tracks = tracks };
    }
}

/// <summary>A file is not a Standard MIDI File Earworm can read: names the file, the byte offset and why.</summary>
public sealed class MidiFormatException(string source, long offset, string reason)
    : EarwormException($"{source}: byte {offset}: {reason}")
{
    /// <summary>The file (or the name given for a byte array).</summary>
    public string FilePath { get; } = source;

    /// <summary>Where the problem was found, bytes from the start.</summary>
    public long Offset { get; } = offset;

    /// <summary>Why, in a sentence.</summary>
    public string Reason { get; } = reason;
}
