using System.Buffers.Binary;

namespace Earworm.Audio.Media;

/// <summary>
/// Mends Ogg Vorbis files whose header packets come twice before the audio: the identification, comment and setup
/// headers, then the same three again, then the audio (HyperRogue's soundtrack has three such files, which a tagging
/// tool seems to have written a new set of headers into). Players built on libvorbis read the first three and pass
/// over the others, since a header packet is not audio, so the files play. ffmpeg's Ogg demuxer reads a fourth header
/// as a broken stream ("Header processing failed") and decodes nothing.
/// <para>The repair drops each Vorbis header packet that a logical stream repeats before its first audio packet, as
/// those players do. Pages keep their granule positions and lose only the repeated packets' segments; a page left
/// with none is dropped and the later pages of its stream are renumbered. Every page that changes is checksummed
/// again; the rest is copied as it was, including any bytes between pages.</para>
/// <para>The repair is pure: streams in, streams out. <see cref="MediaInput"/> decides when ffmpeg reads a mended
/// copy.</para>
/// </summary>
public static class OggHeaderRepair
{
    /// <summary>How far into a file <see cref="NeedsRepair(string)"/> looks for the first audio packet. Headers come
    /// first, and a comment header with a large cover picture can run to a few megabytes.</summary>
    public const int LeadingBytes = 16 << 20;

    private const int HeaderBytes = 27;
    private static readonly byte[] Capture = "OggS"u8.ToArray();
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>Whether <paramref name="path"/> is an Ogg file that <see cref="Repair"/> would change. Reads from the
    /// start up to the first audio packet of each stream (and at most <see cref="LeadingBytes"/>); a file that is not
    /// Ogg is answered after its first four bytes.</summary>
    /// <exception cref="IOException">the file cannot be read.</exception>
    public static bool NeedsRepair(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        return NeedsRepair(file);
    }

    /// <summary>Whether <paramref name="input"/>, read from where it stands, is an Ogg stream that
    /// <see cref="Repair"/> would change.</summary>
    public static bool NeedsRepair(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var streams = new Dictionary<uint, StreamState>();
        long read = 0;
        while (read < LeadingBytes && ReadPage(input, out var page) is { } length)
        {
            read += length;
            var (kept, _) = Filter(page, streams);
            if (kept is null || kept.Length != page.Lacing.Length) return true;
            // once every stream has begun its audio, nothing later is dropped
            if (streams.Count > 0 && streams.Values.All(s => s.Audio)) return false;
        }
        return false;
    }

    /// <summary>Copies <paramref name="input"/> into <paramref name="output"/> without the Vorbis header packets a
    /// stream repeats before its audio; returns how many packets it dropped. A part that is not an Ogg page (bytes
    /// between pages, a cut last page) is copied as it is.</summary>
    public static int Repair(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var streams = new Dictionary<uint, StreamState>();
        int dropped = 0;
        while (ReadPage(input, out var page, output) is not null)
        {
            var (kept, droppedHere) = Filter(page, streams);
            dropped += droppedHere;
            var state = streams[page.Serial];
            if (kept is null) state.Renumber++;   // nothing of the page is left: its stream's later pages close the gap
            else if (kept.Length == page.Lacing.Length && state.Renumber == 0) page.WriteTo(output);
            else page.Rewritten(kept, state.Renumber).WriteTo(output);
        }
        return dropped;
    }

    private sealed class StreamState
    {
        /// <summary>Header packets seen before the first audio packet.</summary>
        public int Headers;

        /// <summary>The first audio packet has begun: from here on nothing is dropped.</summary>
        public bool Audio;

        /// <summary>The last page ended inside a packet, which this one continues.</summary>
        public bool Continues;

        /// <summary>That packet is being dropped.</summary>
        public bool Dropping;

        /// <summary>Pages of this stream dropped so far: what later pages' sequence numbers go down by.</summary>
        public uint Renumber;
    }

    /// <summary>One Ogg page as read: its 27-byte header, lacing values and body.</summary>
    private sealed record Page(byte[] Header, byte[] Lacing, byte[] Body)
    {
        public byte Flags => Header[5];
        public bool Continued => (Flags & 1) != 0;
        public bool BeginsStream => (Flags & 2) != 0;
        public uint Serial => BinaryPrimitives.ReadUInt32LittleEndian(Header.AsSpan(14));

        public void WriteTo(Stream output)
        {
            output.Write(Header);
            output.Write(Lacing);
            output.Write(Body);
        }

        /// <summary>The page holding only the segments <paramref name="kept"/> (indices into its lacing), its sequence
        /// number <paramref name="renumber"/> lower, its flags, granule position and checksum made to fit.</summary>
        public Page Rewritten(int[] kept, uint renumber)
        {
            var starts = new int[Lacing.Length];
            for (int i = 1; i < Lacing.Length; i++) starts[i] = starts[i - 1] + Lacing[i - 1];
            var lacing = kept.Select(i => Lacing[i]).ToArray();
            var body = new byte[lacing.Sum(l => l)];
            int at = 0;
            foreach (var i in kept)
            {
                Body.AsSpan(starts[i], Lacing[i]).CopyTo(body.AsSpan(at));
                at += Lacing[i];
            }
            var header = (byte[])Header.Clone();
            header[26] = (byte)lacing.Length;
            // continued only when the first segment kept carries on a packet of an earlier page
            bool continued = Continued && kept.Length > 0 && kept[0] == 0;
            header[5] = (byte)((Flags & ~1) | (continued ? 1 : 0));
            // a page on which no packet ends has no granule position
            if (!lacing.Any(l => l < 255)) BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(6), -1);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(18)) - renumber);
            var page = new Page(header, lacing, body);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), page.Checksum());
            return page;
        }

        /// <summary>The page's CRC-32 (polynomial 0x04C11DB7, not reflected), its own checksum field counted as 0.</summary>
        public uint Checksum()
        {
            uint crc = 0;
            for (int i = 0; i < Header.Length; i++) crc = Step(crc, i is >= 22 and < 26 ? (byte)0 : Header[i]);
            foreach (var b in Lacing) crc = Step(crc, b);
            foreach (var b in Body) crc = Step(crc, b);
            return crc;
        }

        private static uint Step(uint crc, byte b) => (crc << 8) ^ CrcTable[(byte)(crc >> 24) ^ b];
    }

    /// <summary>The segments of <paramref name="page"/> to keep (all of them, as indices, when nothing is dropped;
    /// null when none is left) and how many packets begun on it are dropped, updating its stream's state.</summary>
    private static (int[]? Kept, int Dropped) Filter(Page page, Dictionary<uint, StreamState> streams)
    {
        if (!streams.TryGetValue(page.Serial, out var state) || page.BeginsStream)
            streams[page.Serial] = state = new StreamState();
        var kept = new List<int>(page.Lacing.Length);
        int dropped = 0, offset = 0;
        // a page that says it continues a packet its stream did not leave open begins with a fragment: kept as it is
        bool inPacket = page.Continued && state.Continues;
        bool dropping = inPacket && state.Dropping;
        for (int i = 0; i < page.Lacing.Length; i++)
        {
            int length = page.Lacing[i];
            if (!inPacket)
            {
                dropping = Drops(page.Body.AsSpan(offset, length), state);
                if (dropping) dropped++;
                inPacket = true;
            }
            if (!dropping) kept.Add(i);
            offset += length;
            if (length < 255) inPacket = false;
        }
        state.Continues = inPacket;
        state.Dropping = inPacket && dropping;
        return (kept.Count == 0 && page.Lacing.Length > 0 ? null : [.. kept], dropped);
    }

    /// <summary>Whether a packet that begins with <paramref name="start"/> is dropped, noting what it is.</summary>
    private static bool Drops(ReadOnlySpan<byte> start, StreamState state)
    {
        if (state.Audio) return false;
        bool header = start.Length >= 7 && (start[0] & 1) == 1 && start[1..7].SequenceEqual("vorbis"u8);
        // a stream that does not begin with a Vorbis identification header is not Vorbis: left as it is
        if (!header || (state.Headers == 0 && start[0] != 1))
        {
            state.Audio = true;
            return false;
        }
        return ++state.Headers > 3;
    }

    /// <summary>Reads the next page. Bytes before it that are not a page are copied to <paramref name="skipped"/> when
    /// given (the repair keeps them), as is a last page cut short. Null at the end.</summary>
    private static long? ReadPage(Stream input, out Page page, Stream? skipped = null)
    {
        page = null!;
        var header = new byte[HeaderBytes];
        int got = input.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        while (got == HeaderBytes && !(header.AsSpan(0, 4).SequenceEqual(Capture) && header[4] == 0))
        {
            // not a page here: keep the first byte and look again from the next one
            skipped?.WriteByte(header[0]);
            header.AsSpan(1).CopyTo(header);
            got = HeaderBytes - 1 + input.ReadAtLeast(header.AsSpan(HeaderBytes - 1), 1, throwOnEndOfStream: false);
        }
        if (got < HeaderBytes)
        {
            skipped?.Write(header, 0, got);
            return null;
        }
        var lacing = new byte[header[26]];
        int gotLacing = input.ReadAtLeast(lacing, lacing.Length, throwOnEndOfStream: false);
        var body = new byte[gotLacing == lacing.Length ? lacing.Sum(l => l) : 0];
        int gotBody = input.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (gotLacing < lacing.Length || gotBody < body.Length)
        {
            // a cut last page: copied as far as it goes
            skipped?.Write(header);
            skipped?.Write(lacing, 0, gotLacing);
            skipped?.Write(body, 0, gotBody);
            return null;
        }
        page = new Page(header, lacing, body);
        return HeaderBytes + lacing.Length + body.Length;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int k = 0; k < 8; k++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            table[i] = r;
        }
        return table;
    }
}
