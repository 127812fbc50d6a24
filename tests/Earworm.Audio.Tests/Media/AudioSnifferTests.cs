using System.Text;
using Earworm.Audio.Media;

namespace Earworm.Audio.Tests.Media;

public class AudioSnifferTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x64 })]              // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    [InlineData(new byte[] { 0xFF, 0xF1, 0x50, 0x80 })]              // ADTS AAC
    [InlineData(new byte[] { 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11 })] // ASF
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 })]              // Matroska
    public void KnowsBinaryMagic(byte[] header) => Assert.True(AudioSniffer.LooksLikeAudio(header));

    [Theory]
    [InlineData("OggS\0\u0002")]
    [InlineData("fLaC\0\0\0\"")]
    [InlineData("RIFF\u0024\0\0\0WAVEfmt ")]
    [InlineData("FORM\0\0\0\0AIFFCOMM")]
    [InlineData("\0\0\0\u0020ftypM4A ")]
    public void KnowsTextualMagic(string header) => Assert.True(AudioSniffer.LooksLikeAudio(Encoding.Latin1.GetBytes(header)));

    [Theory]
    [InlineData("hello world\n")]
    [InlineData("\u0089PNG\r\n\u001a\n")]
    [InlineData("RIFF\u0024\0\0\0AVI LIST")]
    [InlineData("")]
    public void RejectsOtherContent(string header) => Assert.False(AudioSniffer.LooksLikeAudio(Encoding.Latin1.GetBytes(header)));

    [Fact]
    public void RejectsAnInvalidMpegFrameHeader() => Assert.False(AudioSniffer.LooksLikeAudio([0xFF, 0xFB, 0xF0, 0x00]));

    [Theory]
    [InlineData("a/b/Song.MP3", true)]
    [InlineData("x.opus", true)]
    [InlineData("x.m4a", true)]
    [InlineData("cover.jpg", false)]
    [InlineData("noext", false)]
    public void Extensions(string path, bool audio) => Assert.Equal(audio, AudioSniffer.HasAudioExtension(path));

    [Theory]
    [InlineData(0, "IMPM")]               // Impulse Tracker, OpenMPT's MPTM
    [InlineData(0, "Extended Module: ")]  // FastTracker 2
    [InlineData(44, "SCRM")]              // Scream Tracker 3
    [InlineData(1080, "M.K.")]            // ProTracker
    [InlineData(1080, "M!K!")]
    [InlineData(1080, "FLT4")]            // StarTrekker
    [InlineData(1080, "8CHN")]            // FastTracker 1
    [InlineData(1080, "16CH")]
    [InlineData(0, "MMD1")]               // OctaMED
    [InlineData(0, "OKTASONG")]           // Oktalyzer
    [InlineData(20, "!Scream!")]          // Scream Tracker 2
    [InlineData(0, "MAS_UTrack_V00")]     // UltraTracker
    [InlineData(44, "PTMF")]              // PolyTracker
    [InlineData(0, "DBM0")]               // DigiBooster Pro
    [InlineData(0, "NESM\u001a")]        // NSF (libgme)
    [InlineData(0, "SNES-SPC700 Sound File Data")]
    [InlineData(0, "Vgm ")]
    public void KnowsModulesAndGameMusicWhereverTheirSignatureLies(int offset, string magic)
    {
        var header = new byte[AudioSniffer.HeaderLength];
        Encoding.Latin1.GetBytes(magic).CopyTo(header, offset);
        Assert.True(AudioSniffer.LooksLikeAudio(header));
        Assert.Null(AudioSniffer.WhyNotAudio("no-extension", header));
    }

    [Theory]
    [InlineData("a.it")]
    [InlineData("a.mptm")]
    [InlineData("a.669")]
    [InlineData("a.med")]
    [InlineData("a.okt")]
    [InlineData("a.stm")]
    [InlineData("a.ult")]
    [InlineData("a.umx")]
    [InlineData("a.nsf")]
    [InlineData("a.wv")]
    public void ModuleAndOtherExtensions(string path) => Assert.Null(AudioSniffer.WhyNotAudio(path, []));

    [Theory]
    [InlineData("cover.jpg", "", "not audio (.jpg file)")]
    [InlineData("song.MID", "", "MIDI holds notes")]
    [InlineData("readme", "plain words", "not audio: neither its extension (none)")]
    [InlineData("x.bin", "", "empty file (0 bytes)")]
    public void SaysWhyAFileIsNotAudio(string path, string content, string reason) =>
        Assert.StartsWith(reason, AudioSniffer.WhyNotAudio(path, Encoding.Latin1.GetBytes(content)), StringComparison.Ordinal);

    [Fact]
    public void TheTagAt1080NeedsTheWholeHeader()
    {
        var header = new byte[AudioSniffer.HeaderLength];
        Encoding.Latin1.GetBytes("M.K.").CopyTo(header, 1080);
        Assert.True(AudioSniffer.IsModule(header));
        Assert.False(AudioSniffer.IsModule(header.AsSpan(0, 1083))); // a file cut short inside the tag: no match, no overrun
    }
}
