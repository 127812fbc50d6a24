using System.Text;
using Earworm.Audio.Excerpts;

namespace Earworm.Audio.Tests.Excerpts;

public class ExcerptCodecTests
{
    [Fact]
    public void RoundTripStaysWithinHalfAQuantisationStep()
    {
        var set = RandomSet(bands: 16, frames: [50, 1, 431], seed: 1);
        var back = RoundTrip(set);

        Assert.Equal((set.SampleRate, set.HopLength, set.MelBands), (back.SampleRate, back.HopLength, back.MelBands));
        Assert.Equal(set.Excerpts.Select(e => (e.StartSample, e.Frames)), back.Excerpts.Select(e => (e.StartSample, e.Frames)));
        for (int i = 0; i < set.Excerpts.Count; i++)
        {
            int frames = set.Excerpts[i].Frames;
            for (int m = 0; m < set.MelBands; m++)
            {
                var row = set.Excerpts[i].LogMelDb.AsSpan(m * frames, frames).ToArray();
                var got = back.Excerpts[i].LogMelDb.AsSpan(m * frames, frames).ToArray();
                double bound = ((double)row.Max() - row.Min()) / 510 + 1e-5; // + float32 rounding near 100 dB
                for (int t = 0; t < frames; t++)
                    Assert.True(Math.Abs(got[t] - row[t]) <= bound, $"excerpt {i} band {m} frame {t}: {row[t]} → {got[t]}, bound {bound}");
                // The row's extremes are stored exactly.
                Assert.Equal(row.Min(), got.Min());
                Assert.Equal(row.Max(), got.Max());
            }
        }
    }

    [Fact]
    public void AnEmptySetRoundTripsInThirtyTwoBytes()
    {
        var set = new ExcerptSet(22050, 512, 128, []);
        using var stream = new MemoryStream();
        ExcerptCodec.Write(stream, set);
        Assert.Equal(32, stream.Length);
        Assert.Equal(32, ExcerptCodec.EncodedSize(128, 0, 0));
        stream.Position = 0;
        var back = ExcerptCodec.Read(stream);
        Assert.Empty(back.Excerpts);
        Assert.Equal(128, back.MelBands);
    }

    [Fact]
    public void AConstantBandIsExact()
    {
        var values = new float[2 * 5];
        Array.Fill(values, -100f, 0, 5);                   // silent band: max == min
        for (int t = 0; t < 5; t++) values[5 + t] = t * 3.25f; // a varying band beside it
        var back = RoundTrip(new ExcerptSet(22050, 512, 2, [new Excerpt(7, 5, values)]));
        Assert.Equal(values[..5], back.Excerpts[0].LogMelDb[..5]);
    }

    [Fact]
    public void TheStreamHoldsExactlyEncodedSizeBytesAndCanBeFollowedByMore()
    {
        var set = RandomSet(bands: 8, frames: [3, 4], seed: 2);
        using var stream = new MemoryStream();
        ExcerptCodec.Write(stream, set);
        Assert.Equal(ExcerptCodec.EncodedSize(8, 7, 2), stream.Length);
        Assert.Equal(24 + 24 + 4 + 2 * 8 * 8 + 8 * 7 + 4, stream.Length);
        ExcerptCodec.Write(stream, set);
        stream.Position = 0;
        ExcerptCodec.Read(stream);
        Assert.Equal(2, ExcerptCodec.Read(stream).Excerpts.Count);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void SixtySecondsOfDefaultExcerptsTakeAbout330KB()
    {
        // Six 10 s windows of 1 + 220 500/512 = 431 frames, 128 bands.
        Assert.Equal(24 + 6 * 12 + 4 + 6 * 128 * 8 + 128 * 6 * 431 + 4, ExcerptCodec.EncodedSize(128, 6 * 431, 6));
        Assert.Equal(337_256, ExcerptCodec.EncodedSize(128, 6 * 431, 6));
    }

    [Fact]
    public void ATruncatedFileIsReportedAsTruncated()
    {
        var bytes = Encode(RandomSet(bands: 4, frames: [10, 6], seed: 3));
        foreach (int length in new[] { 0, 3, 23, 24, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var e = Assert.Throws<InvalidDataException>(() => ExcerptCodec.Read(new MemoryStream(bytes, 0, length)));
            Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryFlippedByteIsDetected()
    {
        var bytes = Encode(RandomSet(bands: 4, frames: [10, 6], seed: 4));
        for (int i = 0; i < bytes.Length; i++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => ExcerptCodec.Read(new MemoryStream(corrupt)));
        }
    }

    [Fact]
    public void CorruptionMessagesSayWhatIsWrong()
    {
        var bytes = Encode(RandomSet(bands: 4, frames: [10], seed: 5));
        Assert.Contains("magic", ReadError(Patched(bytes, 0, (byte)'X')), StringComparison.Ordinal);
        Assert.Contains("version 2", ReadError(Patched(bytes, 4, 2)), StringComparison.Ordinal);
        Assert.Contains("header checksum", ReadError(Patched(bytes, 24, (byte)(bytes[24] ^ 1))), StringComparison.Ordinal);
        Assert.Contains("payload checksum", ReadError(Patched(bytes, bytes.Length - 10, (byte)(bytes[^10] ^ 1))), StringComparison.Ordinal);
        Assert.Contains("magic", ReadError(Encoding.ASCII.GetBytes("RIFF....WAVEfmt of something else")), StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteValuesAreRejectedOnWrite()
    {
        var set = new ExcerptSet(22050, 512, 1, [new Excerpt(0, 2, [1f, float.NaN])]);
        Assert.Throws<ArgumentException>(() => ExcerptCodec.Write(new MemoryStream(), set));
    }

    [Fact]
    public void InconsistentSetsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ExcerptSet(22050, 512, 2, [new Excerpt(0, 3, new float[5])]));
        Assert.Throws<ArgumentException>(() => new ExcerptSet(22050, 512, 2, [new Excerpt(-1, 0, [])]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExcerptSet(22050, 0, 2, []));
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(Crc32.Compute("123456789"u8), Crc32.Append(Crc32.Compute("1234"u8), "56789"u8));
    }

    private static ExcerptSet RandomSet(int bands, int[] frames, int seed)
    {
        var rng = new Random(seed);
        long start = 0;
        var excerpts = frames.Select(t =>
        {
            var v = new float[bands * t];
            for (int i = 0; i < v.Length; i++) v[i] = (float)(-100 + 140 * rng.NextDouble());
            start += 1000 + rng.Next(100_000);
            return new Excerpt(start, t, v);
        }).ToArray();
        return new ExcerptSet(22050, 512, bands, excerpts);
    }

    private static byte[] Encode(ExcerptSet set)
    {
        using var stream = new MemoryStream();
        ExcerptCodec.Write(stream, set);
        return stream.ToArray();
    }

    private static ExcerptSet RoundTrip(ExcerptSet set) => ExcerptCodec.Read(new MemoryStream(Encode(set)));

    private static byte[] Patched(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }

    private static string ReadError(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => ExcerptCodec.Read(new MemoryStream(bytes))).Message;
}
