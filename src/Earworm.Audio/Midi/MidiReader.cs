using System.Buffers.Binary;
using System.Text;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Midi;

/// <summary>
/// Reads a Standard MIDI File (SMF 1.0, "Standard MIDI Files 1.0", MIDI Manufacturers Association
/// 1996): the MThd header, then each MTrk chunk's events with variable-length delta times and
/// running status. Tempo, time and key signatures, notes, program and control changes and text
/// become typed events; everything else is kept byte for byte (<see cref="RawMidiEvent"/>). Chunks
/// of unknown type are skipped, as the standard asks; a file that ends inside an event, or whose
/// bytes cannot be an event, is refused with a <see cref="MidiFormatException"/> naming the offset.
/// </summary>
public static class MidiReader
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="MidiFormatException">it is not a Standard MIDI File Earworm can read.</exception>
    public static MidiFile ReadFile(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>Reads <paramref name="bytes"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="MidiFormatException">they are not a Standard MIDI File Earworm can read.</exception>
    public static MidiFile Read(ReadOnlySpan<byte> bytes, string source = "MIDI data")
    {
        if (bytes.Length < 14 || !bytes[..4].SequenceEqual("MThd"u8))
            throw new MidiFormatException(source, 0, "not a Standard MIDI File (no MThd header)");
        uint headerLength = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        if (headerLength < 6 || headerLength > bytes.Length - 8) throw new MidiFormatException(source, 4, $"header length {headerLength} is impossible");
        int format = BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]);
        int trackCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]);
        int division = BinaryPrimitives.ReadUInt16BigEndian(bytes[12..]);
        if (format > 2) throw new MidiFormatException(source, 8, $"format {format} is not 0, 1 or 2");
        if ((division & 0x8000) != 0) throw new MidiFormatException(source, 12, "SMPTE time division is not supported (only ticks per quarter note)");
        if (division == 0) throw new MidiFormatException(source, 12, "zero ticks per quarter note");

        var tracks = new List<MidiTrack>(trackCount);
        long offset = 8 + headerLength;
        while (offset + 8 <= bytes.Length && tracks.Count < trackCount)
        {
            var id = bytes.Slice((int)offset, 4);
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes[((int)offset + 4)..]);
            long start = offset + 8;
            if (start + length > bytes.Length) throw new MidiFormatException(source, offset, $"chunk of {length} bytes runs past the end of the file");
            if (id.SequenceEqual("MTrk"u8)) tracks.Add(ReadTrack(bytes.Slice((int)start, (int)length), start, source));
            offset = start + length;
        }
        if (tracks.Count < trackCount) throw new MidiFormatException(source, offset, $"the header announces {trackCount} tracks, the file holds {tracks.Count}");
        if (format == 0 && tracks.Count != 1) throw new MidiFormatException(source, 10, $"format 0 needs exactly one track, the header says {trackCount}");
        return new MidiFile(format, division, tracks);
    }

    private static MidiTrack ReadTrack(ReadOnlySpan<byte> data, long baseOffset, string source)
    {
        var events = new List<MidiEvent>();
        long tick = 0;
        int i = 0;
        byte running = 0;
        while (i < data.Length)
        {
            tick += ReadVariableLength(data, ref i, baseOffset, source);
            if (i >= data.Length) throw Truncated(baseOffset + i, source);
            int eventStart = i;
            byte status = data[i];
            if (status == 0xFF)
            {
                if (i + 1 >= data.Length) throw Truncated(baseOffset + i, source);
                byte type = data[i + 1];
                i += 2;
                int length = checked((int)ReadVariableLength(data, ref i, baseOffset, source));
                if (i + length > data.Length) throw Truncated(baseOffset + i, source);
                var payload = data.Slice(i, length);
                i += length;
                running = 0;                                  // meta events cancel running status
                if (type == 0x2F) break;                      // end of track: the rest is ignored
                events.Add(Meta(tick, type, payload, data[eventStart..i], baseOffset + eventStart, source));
            }
            else if (status is 0xF0 or 0xF7)
            {
                i++;
                int length = checked((int)ReadVariableLength(data, ref i, baseOffset, source));
                if (i + length > data.Length) throw Truncated(baseOffset + i, source);
                i += length;
                running = 0;
                events.Add(new RawMidiEvent(tick, data[eventStart..i].ToArray()));
            }
            else
            {
                if (status >= 0x80)
                {
                    if (status >= 0xF0) throw new MidiFormatException(source, baseOffset + i, $"system message 0x{status:X2} cannot stand in a file");
                    running = status;
                    i++;
                }
                else if (running == 0)
                {
                    throw new MidiFormatException(source, baseOffset + i, $"data byte 0x{status:X2} without a status (no running status in force)");
                }
                int kind = running & 0xF0, channel = running & 0x0F;
                int size = kind is 0xC0 or 0xD0 ? 1 : 2;
                if (i + size > data.Length) throw Truncated(baseOffset + i, source);
                int a = data[i], b = size == 2 ? data[i + 1] : 0;
                if (a > 127 || b > 127) throw new MidiFormatException(source, baseOffset + i, $"data byte above 127 after status 0x{running:X2}");
                i += size;
                events.Add(kind switch
                {
                    0x90 when b > 0 => new NoteOnEvent(tick, channel, a, b),
                    0x90 => new NoteOffEvent(tick, channel, a, 0),
                    0x80 => new NoteOffEvent(tick, channel, a, b),
                    0xB0 => new ControlChangeEvent(tick, channel, a, b),
                    0xC0 => new ProgramChangeEvent(tick, channel, a),
                    _ => new RawMidiEvent(tick, size == 2 ? [running, (byte)a, (byte)b] : [running, (byte)a]),
                });
            }
        }
        return new MidiTrack(events);
    }

    private static MidiEvent Meta(long tick, byte type, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> raw, long offset, string source)
    {
        switch (type)
        {
            case 0x51:
                if (payload.Length != 3) throw new MidiFormatException(source, offset, $"tempo event of {payload.Length} bytes (needs 3)");
                int microseconds = payload[0] << 16 | payload[1] << 8 | payload[2];
                if (microseconds == 0) throw new MidiFormatException(source, offset, "tempo of 0 µs per quarter note");
                return new TempoEvent(tick, microseconds);
            case 0x58:
                if (payload.Length != 4) throw new MidiFormatException(source, offset, $"time signature of {payload.Length} bytes (needs 4)");
                if (payload[0] == 0 || payload[1] > 6) throw new MidiFormatException(source, offset, $"time signature {payload[0]}/2^{payload[1]} is impossible");
                return new TimeSignatureEvent(tick, payload[0], 1 << payload[1], payload[2], payload[3]);
            case 0x59:
                if (payload.Length != 2) throw new MidiFormatException(source, offset, $"key signature of {payload.Length} bytes (needs 2)");
                int sharps = (sbyte)payload[0];
                if (sharps is < -7 or > 7 || payload[1] > 1) throw new MidiFormatException(source, offset, $"key signature ({sharps}, {payload[1]}) is impossible");
                return new KeySignatureEvent(tick, sharps, payload[1] == 1 ? Mode.Minor : Mode.Major);
            case >= 0x01 and <= 0x0F:
                return new TextEvent(tick, type, Encoding.Latin1.GetString(payload));
            default:
                return new RawMidiEvent(tick, raw.ToArray());
        }
    }

    // A variable-length quantity: 7 bits per byte, most significant first, at most four bytes.
    private static long ReadVariableLength(ReadOnlySpan<byte> data, ref int i, long baseOffset, string source)
    {
        long value = 0;
        for (int n = 0; n < 4; n++)
        {
            if (i >= data.Length) throw Truncated(baseOffset + i, source);
            byte b = data[i++];
            value = value << 7 | (uint)(b & 0x7F);
            if ((b & 0x80) == 0) return value;
        }
        throw new MidiFormatException(source, baseOffset + i - 4, "variable-length quantity longer than four bytes");
    }

    private static MidiFormatException Truncated(long offset, string source) =>
        new(source, offset, "the track ends inside an event (truncated file?)");
}
