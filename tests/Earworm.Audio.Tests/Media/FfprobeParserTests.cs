using Earworm.Audio.Media;

namespace Earworm.Audio.Tests.Media;

/// <summary>ffprobe JSON saved from ffmpeg 5.1 (Debian 12) in Fixtures/ffprobe; no ffmpeg needed.</summary>
public class FfprobeParserTests
{
    private static MediaInfo Fixture(string name) =>
        FfprobeParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ffprobe", name)));

    [Fact]
    public void OggTagsLiveOnTheStream()
    {
        var m = Fixture("t-ogg.json");
        Assert.Equal("ogg", m.Container);
        Assert.Equal("vorbis", m.Codec);
        Assert.Equal(3.0, m.DurationSeconds);
        Assert.Equal(44100, m.SampleRateHz);
        Assert.Equal(2, m.Channels);
        Assert.Equal("Tëst Song", m.Title);
        Assert.Equal("Me", m.Artist);
        Assert.Equal("Alb", m.Album);
        Assert.Equal(3, m.TrackNumber);
    }

    [Fact]
    public void Mp3TagsLiveOnTheContainer()
    {
        var m = Fixture("t-mp3.json");
        Assert.Equal("mp3", m.Codec);
        Assert.Equal(1, m.Channels);
        Assert.Equal(3.030204, m.DurationSeconds!.Value, 6);
        Assert.Equal("Mp3 Song", m.Title);
        Assert.Equal(2020, m.Year);
        Assert.Equal(64000, m.BitRate);
    }

    [Fact]
    public void UpperCaseVorbisCommentsAndTrackOfTotal()
    {
        var m = Fixture("t-flac.json");
        Assert.Equal("flac", m.Codec);
        Assert.Equal("Flac Ünïcode", m.Title);
        Assert.Equal("Some Band", m.Artist);
        Assert.Equal("Rock", m.Genre);
        Assert.Equal(2, m.TrackNumber);
        Assert.Equal(1999, m.Year);
    }

    [Fact]
    public void CoverArtIsNotTheAudioStream()
    {
        var m = Fixture("cover-mp3.json");
        Assert.Equal("mp3", m.Codec);
        Assert.Equal("With Cover", m.Title);
    }

    [Fact]
    public void WavWithoutTags()
    {
        var m = Fixture("t-wav.json");
        Assert.Equal("pcm_s16le", m.Codec);
        Assert.Null(m.Title);
        Assert.True(m.HasAudio);
    }

    [Fact]
    public void NoAudioStreamMeansNoCodec()
    {
        var m = FfprobeParser.Parse("""{"streams":[{"index":0,"codec_type":"video","codec_name":"png"}],"format":{"format_name":"png_pipe"}}""");
        Assert.False(m.HasAudio);
        Assert.Equal("png_pipe", m.Container);
    }

    [Fact]
    public void EmptyObjectFromAFailedProbeHasNoAudio() => Assert.False(FfprobeParser.Parse("{\n\n}").HasAudio);

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void GarbageIsAFormatError(string text) => Assert.Throws<FormatException>(() => FfprobeParser.Parse(text));

    [Theory]
    [InlineData("2/10", 2)]
    [InlineData("07", 7)]
    [InlineData(" 12 ", 12)]
    [InlineData("A1", null)]
    [InlineData("", null)]
    public void TrackNumbers(string text, int? expected) => Assert.Equal(expected, MediaTags.LeadingInt(text));

    [Theory]
    [InlineData("1999-05-01", 1999)]
    [InlineData("2020", 2020)]
    [InlineData("0", null)]
    [InlineData("99999", null)]
    public void Years(string text, int? expected) => Assert.Equal(expected, MediaTags.Year(text));
}
