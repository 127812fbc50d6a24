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
}
