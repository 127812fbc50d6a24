using System.Buffers.Binary;

namespace Earworm.Audio.Excerpts;

/// <summary>
/// The on-disk format of the excerpt cache: log-mel quantised to 8 bits per value, with each
/// (excerpt, mel band) row scaled between its own float32 min and max, and CRC-32 checksums so
/// that a truncated or corrupt file raises <see cref="InvalidDataException"/> instead of feeding
/// garbage to the model.
/// </summary>
/// <remarks>
/// Layout, all integers and floats little-endian:
/// <code>
/// offset  size        field
/// 0       4           magic "EWX1" (ASCII)
/// 4       2           format version, uint16 = 1
/// 6       2           reserved, 0
/// 8       4           sample rate in Hz, int32
/// 12      4           hop length in samples, int32
/// 16      4           mel bands B, int32
/// 20      4           excerpt count N, int32
/// 24      12·N        per excerpt: start sample int64, frames T int32
/// ..      4           CRC-32 of every byte above (header checksum)
/// ..                  payload, per excerpt: B × (min float32, max float32), then B·T bytes q[mel][frame]
/// ..      4           CRC-32 of the payload
/// </code>
/// A value v of a row with bounds (min, max) is stored as q = round((v − min)·255/(max − min)) and
/// read back as min + q·(max − min)/255, so the error is at most (max − min)/510 (plus float32
/// rounding); a row's min and max come back exactly, and a constant row (max = min) is exact.
/// The header has its own checksum so a corrupt count or frame number is caught before the
/// payload is allocated. CRC-32 is zlib's (see <see cref="Crc32"/>).
/// </remarks>
public static class ExcerptCodec
{
    /// <summary>The current format version written by <see cref="Write"/>.</summary>
    public const ushort FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "EWX1"u8;
    private const int FixedHeaderBytes = 24;
    private const int TableEntryBytes = 12;
    private const int ChecksumBytes = 4;
    private const int BoundsBytes = 8; // min, max per row
    // Sanity limits checked before the header checksum, so a corrupt header cannot ask for a huge table.
    private const int MaxExcerpts = 1 << 20;
    private const int MaxMelBands = 1 << 16;

    /// <summary>
    /// Bytes <see cref="Write"/> produces for <paramref name="excerptCount"/> excerpts of
    /// <paramref name="melBands"/> bands and <paramref name="totalFrames"/> frames in all:
    /// 24 + 12·N + 4 + N·8·B + B·frames + 4.
    /// </summary>
    public static long EncodedSize(int melBands, int totalFrames, int excerptCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(melBands);
        ArgumentOutOfRangeException.ThrowIfNegative(totalFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(excerptCount);
        return HeaderSize(excerptCount) + PayloadSize(melBands, totalFrames, excerptCount);
    }

    /// <summary>Writes <paramref name="set"/> to <paramref name="stream"/> in the format above.</summary>
    /// <exception cref="ArgumentException">A log-mel value is NaN or infinite.</exception>
    public static void Write(Stream stream, ExcerptSet set)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(set);
        long size = EncodedSize(set.MelBands, set.TotalFrames, set.Excerpts.Count);
        if (size > Array.MaxLength) throw new ArgumentException($"encoded set would take {size} bytes, more than one buffer holds", nameof(set));
        var buffer = new byte[size];
        var span = buffer.AsSpan();

        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], set.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], set.HopLength);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], set.MelBands);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], set.Excerpts.Count);
        int at = FixedHeaderBytes;
        foreach (var e in set.Excerpts)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], e.StartSample);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], e.Frames);
            at += TableEntryBytes;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32.Compute(span[..at]));
        at += ChecksumBytes;

        int payloadStart = at;
        for (int i = 0; i < set.Excerpts.Count; i++)
            at = WriteExcerpt(span, at, set.Excerpts[i], set.MelBands, i);
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32.Compute(span[payloadStart..at]));
        stream.Write(buffer);
    }

    /// <summary>Reads one set written by <see cref="Write"/>, leaving the stream just after it.</summary>
    /// <exception cref="InvalidDataException">
    /// The stream is not an excerpt file, has an unsupported version, ends early, or fails a checksum.
    /// </exception>
    public static ExcerptSet Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var fixedHeader = new byte[FixedHeaderBytes];
        ReadExactly(stream, fixedHeader, 0, "header");
        if (!fixedHeader.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException($"Not an Earworm excerpt file: magic bytes {Convert.ToHexString(fixedHeader, 0, 4)}, expected \"EWX1\".");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(fixedHeader.AsSpan(4));
        if (version != FormatVersion)
            throw new InvalidDataException($"Excerpt file format version {version} is not supported (this build reads version {FormatVersion}).");
        int sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fixedHeader.AsSpan(8));
        int hop = BinaryPrimitives.ReadInt32LittleEndian(fixedHeader.AsSpan(12));
        int bands = BinaryPrimitives.ReadInt32LittleEndian(fixedHeader.AsSpan(16));
        int count = BinaryPrimitives.ReadInt32LittleEndian(fixedHeader.AsSpan(20));
        if (sampleRate <= 0 || hop <= 0 || bands <= 0 || bands > MaxMelBands || count < 0 || count > MaxExcerpts)
            throw new InvalidDataException(
                $"Corrupt excerpt file header: sample rate {sampleRate}, hop {hop}, mel bands {bands}, excerpt count {count}.");

        var table = new byte[count * TableEntryBytes + ChecksumBytes];
        ReadExactly(stream, table, FixedHeaderBytes, "excerpt table");
        uint headerCrc = Crc32.Append(Crc32.Compute(fixedHeader), table.AsSpan(0, table.Length - ChecksumBytes));
        uint storedHeaderCrc = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(table.Length - ChecksumBytes));
        if (headerCrc != storedHeaderCrc)
            throw new InvalidDataException($"Excerpt file header checksum mismatch (stored {storedHeaderCrc:X8}, computed {headerCrc:X8}): the file is corrupt.");

        var starts = new long[count];
        var frames = new int[count];
        long totalFrames = 0;
        for (int i = 0; i < count; i++)
        {
            starts[i] = BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(i * TableEntryBytes));
            frames[i] = BinaryPrimitives.ReadInt32LittleEndian(table.AsSpan(i * TableEntryBytes + 8));
            if (starts[i] < 0 || frames[i] < 0)
                throw new InvalidDataException($"Corrupt excerpt table: excerpt {i} starts at {starts[i]} with {frames[i]} frames.");
            totalFrames += frames[i];
        }
        long payloadSize = totalFrames > int.MaxValue ? long.MaxValue : PayloadSize(bands, (int)totalFrames, count);
        if (payloadSize > Array.MaxLength)
            throw new InvalidDataException($"Corrupt excerpt table: {totalFrames} frames of {bands} bands is more than a file can hold.");

        var payload = new byte[payloadSize];
        long payloadOffset = FixedHeaderBytes + table.Length;
        ReadExactly(stream, payload, payloadOffset, "log-mel payload");
        var data = payload.AsSpan(0, payload.Length - ChecksumBytes);
        uint crc = Crc32.Compute(data);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(data.Length));
        if (crc != storedCrc)
            throw new InvalidDataException($"Excerpt file payload checksum mismatch (stored {storedCrc:X8}, computed {crc:X8}): the file is corrupt.");

        var excerpts = new Excerpt[count];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            var logMel = new float[(long)bands * frames[i]];
            at = ReadExcerpt(data, at, logMel, bands, frames[i]);
            excerpts[i] = new Excerpt(starts[i], frames[i], logMel);
        }
        return new ExcerptSet(sampleRate, hop, bands, excerpts);
    }

    private static long HeaderSize(int excerptCount) => FixedHeaderBytes + (long)TableEntryBytes * excerptCount + ChecksumBytes;

    private static long PayloadSize(int melBands, int totalFrames, int excerptCount) =>
        (long)BoundsBytes * melBands * excerptCount + (long)melBands * totalFrames + ChecksumBytes;

    // Bounds then quantised rows of one excerpt at span[at..]; returns the offset after it.
    private static int WriteExcerpt(Span<byte> span, int at, Excerpt excerpt, int bands, int index)
    {
        int frames = excerpt.Frames;
        int quantisedAt = at + BoundsBytes * bands;
        for (int m = 0; m < bands; m++)
        {
            var row = excerpt.LogMelDb.AsSpan(m * frames, frames);
            float min = 0, max = 0;
            if (frames > 0)
            {
                min = float.PositiveInfinity;
                max = float.NegativeInfinity;
                foreach (float v in row)
                {
                    if (!float.IsFinite(v))
                        throw new ArgumentException($"excerpt {index}, band {m}: log-mel value {v} is not finite", nameof(excerpt));
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }
            BinaryPrimitives.WriteSingleLittleEndian(span[(at + BoundsBytes * m)..], min);
            BinaryPrimitives.WriteSingleLittleEndian(span[(at + BoundsBytes * m + 4)..], max);

            var q = span.Slice(quantisedAt + m * frames, frames);
            double range = (double)max - min;
            if (range == 0)
            {
                q.Clear();
                continue;
            }
            double scale = 255 / range;
            for (int t = 0; t < frames; t++) q[t] = (byte)Math.Clamp(Math.Round((row[t] - (double)min) * scale), 0, 255);
        }
        return quantisedAt + bands * frames;
    }

    // Inverse of WriteExcerpt into logMel [bands][frames]; returns the offset after the excerpt.
    private static int ReadExcerpt(ReadOnlySpan<byte> data, int at, float[] logMel, int bands, int frames)
    {
        int quantisedAt = at + BoundsBytes * bands;
        for (int m = 0; m < bands; m++)
        {
            double min = BinaryPrimitives.ReadSingleLittleEndian(data[(at + BoundsBytes * m)..]);
            double max = BinaryPrimitives.ReadSingleLittleEndian(data[(at + BoundsBytes * m + 4)..]);
            double range = max - min;
            var q = data.Slice(quantisedAt + m * frames, frames);
            var row = logMel.AsSpan(m * frames, frames);
            for (int t = 0; t < frames; t++) row[t] = (float)(min + q[t] * range / 255);
        }
        return quantisedAt + bands * frames;
    }

    private static void ReadExactly(Stream stream, byte[] buffer, long offset, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new InvalidDataException(
                $"Excerpt file truncated: the {what} at byte {offset} needs {buffer.Length} bytes but the stream ended after {read}.");
    }
}
