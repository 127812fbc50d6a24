using System.Buffers.Binary;
using System.Text;

namespace Earworm.Testing;

/// <summary>
/// Writes tiny but valid tracker modules — ProTracker MOD ("M.K."), FastTracker 2 XM and Scream Tracker 3 S3M — that
/// play a short melody on one looped sine-cycle sample (261.6 Hz for C-4), so the scanner's tests exercise
/// libopenmpt through ffmpeg without carrying module files. Formats as documented by the trackers' own
/// format notes (MOD.TXT, XM.TXT, TECH.DOC); each module is one pattern of 64 rows at speed 6, tempo 125: 7.68 s.
/// </summary>
public static class ModuleWriter
{
    /// <summary>Semitones above C-4 of the melody's notes, one every four rows (a C major arpeggio up and down).</summary>
    private static readonly int[] Melody = [0, 4, 7, 12, 7, 4, 0, 4, 7, 12, 16, 12, 7, 4, 0, 0];

    private const int Rows = 64;
    private const int CycleSamples = 32;

    private static sbyte[] SineCycle() =>
        [.. Enumerable.Range(0, CycleSamples).Select(i => (sbyte)Math.Round(100 * Math.Sin(2 * Math.PI * i / CycleSamples)))];

    private static void Ascii(Span<byte> target, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.AsSpan(0, Math.Min(bytes.Length, target.Length)).CopyTo(target);
    }

    /// <summary>A 4-channel ProTracker module with the "M.K." tag at byte 1080.</summary>
    public static byte[] Mod(string title = "earworm test mod")
    {
        var sample = SineCycle();
        var header = new byte[1084];
        Ascii(header.AsSpan(0, 20), title);
        var s = header.AsSpan(20, 30); // sample 1 of 31
        Ascii(s[..22], "sine");
        BinaryPrimitives.WriteUInt16BigEndian(s[22..], CycleSamples / 2);  // length in words
        s[24] = 0;                                                           // finetune
        s[25] = 64;                                                          // volume
        BinaryPrimitives.WriteUInt16BigEndian(s[26..], 0);                   // loop start (words)
        BinaryPrimitives.WriteUInt16BigEndian(s[28..], CycleSamples / 2);    // loop length (words)
        for (int i = 1; i < 31; i++) BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(20 + i * 30 + 28), 1); // empty: loop length 1
        header[950] = 1;   // song length: one position
        header[951] = 127; // restart
        header[952] = 0;   // pattern 0 at position 0
        Ascii(header.AsSpan(1080, 4), "M.K.");

        var pattern = new byte[Rows * 4 * 4];
        for (int row = 0; row < Rows; row += 4)
        {
            int period = (int)Math.Round(428 / Math.Pow(2, Melody[row / 4] / 12.0)); // 428: C-4 at 8363 Hz
            var cell = pattern.AsSpan(row * 16, 4);                                  // channel 1
            cell[0] = (byte)(period >> 8);                                           // sample 1: high nibble 0
            cell[1] = (byte)period;
            cell[2] = 1 << 4;                                                         // sample 1 low nibble, no effect
        }
        return [.. header, .. pattern, .. sample.Select(x => (byte)x)];
    }

    /// <summary>A 4-channel FastTracker 2 module (version 1.04, linear frequencies, unpacked pattern cells).</summary>
    public static byte[] Xm(string title = "earworm test xm")
    {
        var o = new MemoryStream();
        var w = new BinaryWriter(o);
        var head = new byte[60];
        Ascii(head, "Extended Module: ");
        Ascii(head.AsSpan(17, 20), title);
        head[37] = 0x1A;
        Ascii(head.AsSpan(38, 20), "Earworm ModuleWriter");
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(58), 0x0104);
        w.Write(head);
        w.Write(276u);           // header size, from this field
        w.Write((ushort)1);      // song length
        w.Write((ushort)0);      // restart
        w.Write((ushort)4);      // channels
        w.Write((ushort)1);      // patterns
        w.Write((ushort)1);      // instruments
        w.Write((ushort)1);      // linear frequency table
        w.Write((ushort)6);      // speed (ticks per row)
        w.Write((ushort)125);    // tempo (BPM)
        w.Write(new byte[256]);  // order table: pattern 0

        var cells = new byte[Rows * 4 * 5];
        for (int row = 0; row < Rows; row++)
            for (int ch = 0; ch < 4; ch++)
            {
                var c = cells.AsSpan((row * 4 + ch) * 5, 5);
                if (ch == 0 && row % 4 == 0)
                {
                    c[0] = (byte)(49 + Melody[row / 4]); // 49 = C-4
                    c[1] = 1;                            // instrument 1
                }
                else c[0] = 0;                             // empty cell: note 0, no instrument
            }
        w.Write(9u);                   // pattern header length
        w.Write((byte)0);              // packing type
        w.Write((ushort)Rows);
        w.Write((ushort)cells.Length);
        w.Write(cells);

        var instrument = new byte[263];
        BinaryPrimitives.WriteUInt32LittleEndian(instrument, 263);
        Ascii(instrument.AsSpan(4, 22), "sine");
        BinaryPrimitives.WriteUInt16LittleEndian(instrument.AsSpan(27), 1); // one sample
        BinaryPrimitives.WriteUInt32LittleEndian(instrument.AsSpan(29), 40); // sample header size
        // sample map (all notes → sample 0), envelopes off, no vibrato, no fadeout: zeros
        w.Write(instrument);

        var sampleHeader = new byte[40];
        BinaryPrimitives.WriteUInt32LittleEndian(sampleHeader, CycleSamples);       // length (bytes)
        BinaryPrimitives.WriteUInt32LittleEndian(sampleHeader.AsSpan(4), 0);        // loop start
        BinaryPrimitives.WriteUInt32LittleEndian(sampleHeader.AsSpan(8), CycleSamples); // loop length
        sampleHeader[12] = 64;   // volume
        sampleHeader[14] = 1;    // forward loop, 8-bit
        sampleHeader[15] = 128;  // centre
        // finetune and relative note 0: C-4 plays the sample at 8363 Hz (linear table), as in MOD and S3M
        Ascii(sampleHeader.AsSpan(18, 22), "sine");
        w.Write(sampleHeader);
        sbyte previous = 0;
        foreach (var x in SineCycle())
        {
            w.Write(unchecked((byte)(sbyte)(x - previous))); // delta-encoded
            previous = x;
        }
        return o.ToArray();
    }

    /// <summary>A Scream Tracker 3 module (4 channels, one sample, unsigned sample data).</summary>
    public static byte[] S3m(string title = "earworm test s3m")
    {
        const int orders = 2, instruments = 1, patterns = 1;
        var header = new byte[96];
        Ascii(header.AsSpan(0, 28), title);
        header[28] = 0x1A;
        header[29] = 16; // type: S3M
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), orders);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), instruments);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(36), patterns);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(40), 0x1320); // Scream Tracker 3.20
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(42), 2);      // unsigned samples
        Ascii(header.AsSpan(44, 4), "SCRM");
        header[48] = 64;   // global volume
        header[49] = 6;    // speed
        header[50] = 125;  // tempo
        header[51] = 0xB0; // stereo, master volume 48
        for (int ch = 0; ch < 32; ch++) header[64 + ch] = ch < 4 ? (byte)(ch % 2 == 0 ? ch / 2 : 8 + ch / 2) : (byte)255;

        // layout: header, orders, parapointers, then paragraph-aligned instrument, pattern, sample data
        int pointers = 96 + orders;
        int instrumentAt = Align(pointers + 2 * instruments + 2 * patterns);
        int patternAt = Align(instrumentAt + 80);
        var pattern = S3mPattern();
        int sampleAt = Align(patternAt + pattern.Length);
        var file = new byte[sampleAt + CycleSamples];
        header.CopyTo(file, 0);
        file[96] = 0;      // order 0: pattern 0
        file[97] = 255;    // end of song
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(pointers), (ushort)(instrumentAt / 16));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(pointers + 2), (ushort)(patternAt / 16));

        var ins = file.AsSpan(instrumentAt, 80);
        ins[0] = 1; // a sample
        Ascii(ins.Slice(1, 12), "sine.raw");
        ins[13] = (byte)(sampleAt / 16 >> 16);
        BinaryPrimitives.WriteUInt16LittleEndian(ins[14..], (ushort)(sampleAt / 16));
        BinaryPrimitives.WriteUInt32LittleEndian(ins[16..], CycleSamples); // length
        BinaryPrimitives.WriteUInt32LittleEndian(ins[20..], 0);            // loop begin
        BinaryPrimitives.WriteUInt32LittleEndian(ins[24..], CycleSamples); // loop end
        ins[28] = 64;  // volume
        ins[31] = 1;   // looped
        BinaryPrimitives.WriteUInt32LittleEndian(ins[32..], 8363); // C-4 plays at 8363 Hz
        Ascii(ins.Slice(48, 28), "sine");
        Ascii(ins.Slice(76, 4), "SCRS");
        pattern.CopyTo(file, patternAt);
        var sample = SineCycle();
        for (int i = 0; i < CycleSamples; i++) file[sampleAt + i] = (byte)(sample[i] + 128);
        return file;
    }

    private static byte[] S3mPattern()
    {
        var p = new List<byte> { 0, 0 }; // packed length, filled below
        for (int row = 0; row < Rows; row++)
        {
            if (row % 4 == 0)
            {
                int semitone = Melody[row / 4];
                int octave = 4 + semitone / 12;
                p.Add(32);                                        // channel 0: note and instrument follow
                p.Add((byte)(octave << 4 | semitone % 12));
                p.Add(1);
            }
            p.Add(0);                                             // end of row
        }
        BinaryPrimitives.WriteUInt16LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p), (ushort)p.Count);
        return [.. p];
    }

    private static int Align(int offset) => (offset + 15) / 16 * 16;
}
