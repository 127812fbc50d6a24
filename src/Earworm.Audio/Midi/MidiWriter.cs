using System.Text;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Midi;

/// <summary>
/// Writes a <see cref="MidiFile"/> as a Standard MIDI File (format 0 or 1; 2 as given): each track's
/// events in time order with delta times, explicit status bytes (no running status: any reader
/// takes it), and an end-of-track event. Every value is checked against its range first, so a
/// file written is a file any synthesiser reads.
/// </summary>
public static class MidiWriter
{
    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/> (through a temporary file,
    /// so an interrupted write leaves no half file).</summary>
    public static void WriteFile(MidiFile file, string path)
    {
        var bytes = Write(file);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The bytes of <paramref name="file"/> as a Standard MIDI File.</summary>
    /// <exception cref="ArgumentException">a value lies outside what the format can hold.</exception>
    public static byte[] Write(MidiFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Format is < 0 or > 2) throw new ArgumentException($"Format must be 0, 1 or 2, got {file.Format}.", nameof(file));
        if (file.Format == 0 && file.Tracks.Count != 1) throw new ArgumentException($"Format 0 holds exactly one track, got {file.Tracks.Count}.", nameof(file));
        if (file.TicksPerQuarter is < 1 or > 0x7FFF) throw new ArgumentException($"TicksPerQuarter must lie in 1..32767, got {file.TicksPerQuarter}.", nameof(file));
        if (file.Tracks.Count > 0xFFFF) throw new ArgumentException($"At most 65535 tracks, got {file.Tracks.Count}.", nameof(file));

        using var stream = new MemoryStream();
        stream.Write("MThd"u8);
        WriteUInt32(stream, 6);
        WriteUInt16(stream, file.Format);
        WriteUInt16(stream, file.Tracks.Count);
        WriteUInt16(stream, file.TicksPerQuarter);
        foreach (var track in file.Tracks)
        {
            var body = TrackBytes(track);
            stream.Write("MTrk"u8);
            WriteUInt32(stream, body.Length);
            stream.Write(body);
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Events sorted for writing: by tick, and at one tick meta events (tempo, metre, key, text) first,
    /// then program and control changes, then note-offs before note-ons — so a note repeated at the
    /// tick where the previous one ends is released before it strikes again. Stable otherwise.
    /// </summary>
    public static IReadOnlyList<MidiEvent> InWriteOrder(IEnumerable<MidiEvent> events) =>
        [.. events.Select((e, i) => (e, i)).OrderBy(x => x.e.Tick).ThenBy(x => Rank(x.e)).ThenBy(x => x.i).Select(x => x.e)];

    private static int Rank(MidiEvent e) => e switch
    {
        TempoEvent or TimeSignatureEvent or KeySignatureEvent or TextEvent => 0,
        RawMidiEvent raw when raw.Bytes.Count > 0 && raw.Bytes[0] >= 0xF0 => 0,
        ProgramChangeEvent or ControlChangeEvent or RawMidiEvent => 1,
        NoteOffEvent => 2,
        _ => 3,
    };

    private static byte[] TrackBytes(MidiTrack track)
    {
        using var s = new MemoryStream();
        long previous = 0;
        foreach (var e in InWriteOrder(track.Events))
        {
            if (e.Tick < 0) throw new ArgumentException($"Event at negative tick {e.Tick}: {e}.");
            WriteVariableLength(s, e.Tick - previous);
            previous = e.Tick;
            switch (e)
            {
                case NoteOnEvent on:
                    if (on.Velocity == 0) throw new ArgumentException($"A note-on of velocity 0 is a note-off; write a NoteOffEvent: {on}.");
                    Channel(s, 0x90, on.Channel, Data(on.Note, "note"), Data(on.Velocity, "velocity"));
                    break;
                case NoteOffEvent off:
                    Channel(s, 0x80, off.Channel, Data(off.Note, "note"), Data(off.Velocity, "velocity"));
                    break;
                case ControlChangeEvent cc:
                    Channel(s, 0xB0, cc.Channel, Data(cc.Controller, "controller"), Data(cc.Value, "value"));
                    break;
                case ProgramChangeEvent pc:
                    Channel(s, 0xC0, pc.Channel, Data(pc.Program, "program"));
                    break;
                case TempoEvent t:
                    if (t.MicrosecondsPerQuarter is < 1 or > 0xFFFFFF) throw new ArgumentException($"Tempo must lie in 1..16777215 µs per quarter, got {t.MicrosecondsPerQuarter}.");
                    Meta(s, 0x51, [(byte)(t.MicrosecondsPerQuarter >> 16), (byte)(t.MicrosecondsPerQuarter >> 8), (byte)t.MicrosecondsPerQuarter]);
                    break;
                case TimeSignatureEvent ts:
                    int log = System.Numerics.BitOperations.Log2((uint)Math.Max(1, ts.Denominator));
                    if (ts.Numerator is < 1 or > 255 || ts.Denominator != 1 << log || log > 6)
                        throw new ArgumentException($"Time signature {ts.Numerator}/{ts.Denominator} cannot be written (numerator 1..255, denominator a power of two up to 64).");
                    Meta(s, 0x58, [(byte)ts.Numerator, (byte)log, (byte)Math.Clamp(ts.ClocksPerClick, 1, 255), (byte)Math.Clamp(ts.ThirtySecondsPerQuarter, 1, 255)]);
                    break;
                case KeySignatureEvent k:
                    if (k.Sharps is < -7 or > 7) throw new ArgumentException($"A key signature has −7..7 sharps, got {k.Sharps}.");
                    Meta(s, 0x59, [(byte)(sbyte)k.Sharps, (byte)(k.Mode == Mode.Minor ? 1 : 0)]);
                    break;
                case TextEvent text:
                    if (text.Type is < 1 or > 15) throw new ArgumentException($"Text meta types are 1..15, got {text.Type}.");
                    Meta(s, (byte)text.Type, Encoding.Latin1.GetBytes(text.Text));
                    break;
                case RawMidiEvent raw:
                    if (raw.Bytes.Count == 0 || raw.Bytes[0] < 0x80) throw new ArgumentException($"A raw event starts with a status byte: {raw}.");
                    if (raw.Bytes is [0xFF, 0x2F, ..]) throw new ArgumentException("End of track is written by the writer itself.");
                    s.Write([.. raw.Bytes]);
                    break;
                default:
                    throw new ArgumentException($"Unknown event type {e.GetType().Name}.");
            }
        }
        WriteVariableLength(s, 0);
        s.Write([0xFF, 0x2F, 0x00]);
        return s.ToArray();
    }

    private static void Channel(Stream s, int kind, int channel, params ReadOnlySpan<byte> data)
    {
        if (channel is < 0 or > 15) throw new ArgumentException($"Channels are 0..15, got {channel}.");
        s.WriteByte((byte)(kind | channel));
        s.Write(data);
    }

    private static byte Data(int value, string what) =>
        value is >= 0 and <= 127 ? (byte)value : throw new ArgumentException($"A MIDI {what} lies in 0..127, got {value}.");

    private static void Meta(Stream s, byte type, ReadOnlySpan<byte> payload)
    {
        s.WriteByte(0xFF);
        s.WriteByte(type);
        WriteVariableLength(s, payload.Length);
        s.Write(payload);
    }

    /// <summary>A variable-length quantity, 7 bits per byte, most significant first (at most 0x0FFFFFFF).</summary>
    internal static void WriteVariableLength(Stream s, long value)
    {
        if (value is < 0 or > 0x0FFFFFFF) throw new ArgumentException($"A delta time or length lies in 0..268435455, got {value}.");
        Span<byte> buffer = stackalloc byte[4];
        int n = 0;
        buffer[n++] = (byte)(value & 0x7F);
        while ((value >>= 7) > 0) buffer[n++] = (byte)(0x80 | (value & 0x7F));
        for (int i = n - 1; i >= 0; i--) s.WriteByte(buffer[i]);
    }

    private static void WriteUInt32(Stream s, int v)
    {
        s.WriteByte((byte)(v >> 24));
        s.WriteByte((byte)(v >> 16));
        s.WriteByte((byte)(v >> 8));
        s.WriteByte((byte)v);
    }

    private static void WriteUInt16(Stream s, int v)
    {
        s.WriteByte((byte)(v >> 8));
        s.WriteByte((byte)v);
    }
}
