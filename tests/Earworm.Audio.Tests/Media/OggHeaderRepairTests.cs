using System.Buffers.Binary;
using System.Diagnostics;
using Earworm.Audio.Media;
using Earworm.Testing;

namespace Earworm.Audio.Tests.Media;

/// <summary>Ogg Vorbis files whose headers repeat before the audio: refused by ffmpeg's demuxer, played by libvorbis,
/// read by Earworm without the repeated packets. The Ogg pages here are written and read by the test's own code
/// (<see cref="Ogg"/>), apart from the repair's.</summary>
public sealed class OggHeaderRepairTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("earworm-ogg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [FfmpegFact]
    public async Task AFileWithItsHeadersTwiceDecodesAsTheFileWithThemOnce()
    {
        var tools = FfmpegTools.Locate();
        var good = Path.Combine(_dir, "good.ogg");
        const int rate = 44100;
        var stereo = new float[2 * 3 * rate];
        for (int i = 0; i < stereo.Length / 2; i++) stereo[2 * i] = stereo[2 * i + 1] = 0.4f * MathF.Sin(2 * MathF.PI * 330 * i / rate);
        await new FfmpegEncoder(tools).EncodeAsync(stereo, rate, 2, good, new Dictionary<string, string> { ["title"] = "Ocean" }, CancellationToken.None);

        // as HyperRogue's three: identification, comment and setup, then the same three again where the audio begins
        var pages = Ogg.Pages(File.ReadAllBytes(good));
        var packets = Ogg.Packets(pages);
        Assert.Equal([1, 3, 5], packets.Take(3).Select(p => (int)p[0]));
        int firstAudioPage = pages.FindIndex(p => Ogg.Packets([p]).Any(k => (k[0] & 1) == 0) && !p.Continued);
        Assert.True(firstAudioPage >= 2);
        var repeated = pages[firstAudioPage] with
        {
            Segments = [.. Ogg.Lacing(packets[0]), .. Ogg.Lacing(packets[1]), .. Ogg.Lacing(packets[2]), .. pages[firstAudioPage].Segments],
            Body = [.. packets[0], .. packets[1], .. packets[2], .. pages[firstAudioPage].Body],
        };
        var broken = Path.Combine(_dir, "broken.ogg");
        File.WriteAllBytes(broken, Ogg.Write([.. pages[..firstAudioPage], repeated, .. pages[(firstAudioPage + 1)..]]));

        var (exit, stderr) = Run(tools.FfmpegPath, "-hide_banner", "-nostdin", "-i", broken, "-f", "null", "-");
        Assert.NotEqual(0, exit);
        Assert.Contains("Header processing failed", stderr);
        Assert.True(OggHeaderRepair.NeedsRepair(broken));
        Assert.False(OggHeaderRepair.NeedsRepair(good));

        var decoder = new FfmpegDecoder(tools);
        var expected = await decoder.DecodeAllAsync(good, 22050, CancellationToken.None);
        var read = await decoder.DecodeAllAsync(broken, 22050, CancellationToken.None);
        Assert.Equal(expected, read);
        var info = await decoder.ProbeAsync(broken, CancellationToken.None);
        Assert.Equal("Ocean", info.Title);
        Assert.Equal(3.0, info.DurationSeconds!.Value, 0.05);
        var decoded = await decoder.DecodeAsync(broken, 22050, _ => { }, CancellationToken.None);
        Assert.Contains("without the 3 Vorbis header packets it repeats", decoded.Warnings);
        Assert.Equal("Ocean", decoded.Media!.Title);

        // a file that needs nothing comes through byte for byte
        using var copy = new MemoryStream();
        using (var source = File.OpenRead(good)) Assert.Equal(0, OggHeaderRepair.Repair(source, copy));
        Assert.Equal(File.ReadAllBytes(good), copy.ToArray());
    }

    [Fact]
    public void ARepeatedHeaderAcrossPagesGoesWithThePageItFilled()
    {
        // a setup header longer than a page (70 000 bytes) repeated: its middle page holds nothing else and goes, the
        // later pages are renumbered, and the page where the audio begins no longer says it continues a packet
        byte[] ident = Header(1, 30), comment = Header(3, 60), setup = Header(5, 70_000), bigSetup = Header(5, 70_000);
        byte[] audio1 = Audio(0x10, 500), audio2 = Audio(0x20, 300), audio3 = Audio(0x30, 40);
        var pages = new List<Ogg.Page>
        {
            Ogg.Single(7, 0, 2, 0, ident),
            Ogg.Single(7, 1, 0, 0, []) with { Segments = [.. Ogg.Lacing(comment), .. Ogg.Lacing(setup)[..200]], Body = [.. comment, .. setup[..(200 * 255)]] },
            // the setup's end, then the repeated three: the identification and comment whole, the setup begun
            Ogg.Single(7, 2, 1, 0, []) with
            {
                Segments = [.. Ogg.Lacing(setup)[200..], .. Ogg.Lacing(ident), .. Ogg.Lacing(comment), .. Ogg.Lacing(bigSetup)[..100]],
                Body = [.. setup[(200 * 255)..], .. ident, .. comment, .. bigSetup[..(100 * 255)]],
            },
            Ogg.Single(7, 3, 1, -1, []) with { Segments = [.. Ogg.Lacing(bigSetup)[100..255]], Body = bigSetup[(100 * 255)..(255 * 255)] },
            // the repeated setup's end and the first audio packet begun
            Ogg.Single(7, 4, 1, 0, []) with { Segments = [.. Ogg.Lacing(bigSetup)[255..], 255], Body = [.. bigSetup[(255 * 255)..], .. audio1[..255]] },
            Ogg.Single(7, 5, 1, 1000, []) with { Segments = [.. Ogg.Lacing(audio1)[1..], .. Ogg.Lacing(audio2)], Body = [.. audio1[255..], .. audio2] },
            Ogg.Single(7, 6, 4, 1500, audio3),
        };
        var input = Ogg.Write(pages);
        using var output = new MemoryStream();
        Assert.True(OggHeaderRepair.NeedsRepair(new MemoryStream(input)));
        Assert.Equal(3, OggHeaderRepair.Repair(new MemoryStream(input), output));

        var mended = Ogg.Pages(output.ToArray());   // checks every page's checksum
        Assert.Equal([0u, 1, 2, 3, 4, 5], mended.Select(p => p.Sequence));
        var packets = Ogg.Packets(mended);
        Assert.Equal(6, packets.Count);
        Assert.Equal([ident, comment, setup, audio1, audio2, audio3], packets);
        // the page where the audio begins ends no packet now: no granule position, and it continues none
        Assert.Equal([0L, 0, 0, -1, 1000, 1500], mended.Select(p => p.Granule));
        Assert.Equal([2, 0, 1, 0, 1, 4], mended.Select(p => (int)p.Flags));
        Assert.False(OggHeaderRepair.NeedsRepair(new MemoryStream(output.ToArray())));
    }

    [Fact]
    public void WhatIsNotAVorbisHeaderRepeatedIsLeftAsItWas()
    {
        byte[] ident = Header(1, 30), comment = Header(3, 60), setup = Header(5, 900), audio = Audio(0x10, 400);
        // headers again after the audio began (ffmpeg reads that), an Opus stream's, and bytes between pages
        var vorbis = Ogg.Write(
        [
            Ogg.Single(9, 0, 2, 0, ident), Ogg.Single(9, 1, 0, 0, [.. comment]) with { Segments = [.. Ogg.Lacing(comment), .. Ogg.Lacing(setup)], Body = [.. comment, .. setup] },
            Ogg.Single(9, 2, 0, 100, audio), Ogg.Single(9, 3, 0, 100, ident), Ogg.Single(9, 4, 4, 200, audio),
        ]);
        var opus = Ogg.Write([Ogg.Single(3, 0, 2, 0, "OpusHead\u0001\u0002"u8.ToArray()), Ogg.Single(3, 1, 0, 0, "OpusTags"u8.ToArray()), Ogg.Single(3, 2, 4, 960, "OpusTags"u8.ToArray())]);
        foreach (var bytes in new[] { vorbis, opus, [.. "junk"u8, .. vorbis, .. "OggS"u8, .. "tail"u8], vorbis[..^10], "not ogg at all"u8.ToArray() })
        {
            Assert.False(OggHeaderRepair.NeedsRepair(new MemoryStream(bytes)));
            using var output = new MemoryStream();
            Assert.Equal(0, OggHeaderRepair.Repair(new MemoryStream(bytes), output));
            Assert.Equal(bytes, output.ToArray());
        }
    }

    private static byte[] Header(byte type, int length)
    {
        var packet = new byte[length];
        packet[0] = type;
        "vorbis"u8.CopyTo(packet.AsSpan(1));
        for (int i = 7; i < length; i++) packet[i] = (byte)(i * 7 + type);
        return packet;
    }

    private static byte[] Audio(byte first, int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(first + 2 * i & 0xFE))];

    private static (int Exit, string Stderr) Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stderr.Result);
    }

    /// <summary>Ogg pages (RFC 3533) as the test writes and reads them.</summary>
    internal static class Ogg
    {
        public sealed record Page(uint Serial, uint Sequence, byte Flags, long Granule, byte[] Segments, byte[] Body)
        {
            public bool Continued => (Flags & 1) != 0;
        }

        /// <summary>A page holding one whole packet.</summary>
        public static Page Single(uint serial, uint sequence, byte flags, long granule, byte[] packet) =>
            new(serial, sequence, flags, granule, Lacing(packet), packet);

        public static byte[] Lacing(byte[] packet) => [.. Enumerable.Repeat((byte)255, packet.Length / 255), (byte)(packet.Length % 255)];

        public static byte[] Write(IEnumerable<Page> pages)
        {
            var bytes = new List<byte>();
            foreach (var p in pages)
            {
                var page = new byte[27 + p.Segments.Length + p.Body.Length];
                "OggS"u8.CopyTo(page);
                page[5] = p.Flags;
                BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), p.Granule);
                BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), p.Serial);
                BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), p.Sequence);
                page[26] = checked((byte)p.Segments.Length);
                p.Segments.CopyTo(page, 27);
                p.Body.CopyTo(page, 27 + p.Segments.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), Crc(page));
                bytes.AddRange(page);
            }
            return [.. bytes];
        }

        /// <summary>Every page, each checksum checked.</summary>
        public static List<Page> Pages(byte[] bytes)
        {
            var pages = new List<Page>();
            for (int at = 0; at < bytes.Length;)
            {
                Assert.True(bytes.AsSpan(at, 4).SequenceEqual("OggS"u8), $"a page at {at}");
                int count = bytes[at + 26], body = bytes.AsSpan(at + 27, count).ToArray().Sum(b => b), length = 27 + count + body;
                var page = bytes.AsSpan(at, length).ToArray();
                uint stored = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
                page.AsSpan(22, 4).Clear();
                Assert.Equal(Crc(page), stored);
                pages.Add(new Page(BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(14)), BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(18)),
                    page[5], BinaryPrimitives.ReadInt64LittleEndian(page.AsSpan(6)), page[27..(27 + count)], page[(27 + count)..]));
                at += length;
            }
            return pages;
        }

        /// <summary>The packets the pages hold, in order (one stream).</summary>
        public static List<byte[]> Packets(IEnumerable<Page> pages)
        {
            var packets = new List<byte[]>();
            var current = new List<byte>();
            foreach (var page in pages)
            {
                int offset = 0;
                foreach (var lace in page.Segments)
                {
                    current.AddRange(page.Body.AsSpan(offset, lace).ToArray());
                    offset += lace;
                    if (lace < 255)
                    {
                        packets.Add([.. current]);
                        current.Clear();
                    }
                }
            }
            return packets;
        }

        private static uint Crc(byte[] page)
        {
            uint crc = 0;
            foreach (var b in page)
            {
                crc ^= (uint)b << 24;
                for (int k = 0; k < 8; k++) crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
            return crc;
        }
    }
}
