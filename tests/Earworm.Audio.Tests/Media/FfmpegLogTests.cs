using Earworm.Audio.Media;

namespace Earworm.Audio.Tests.Media;

/// <summary>The decoding ffmpeg's stderr (Fixtures/ffmpeg, saved by make-media-fixtures.sh from the very command
/// FfmpegDecoder runs) read by <see cref="FfmpegLog"/> gives what ffprobe gave for the same file (Fixtures/ffprobe),
/// within the dump's precision: durations to 10 ms, bit rates to the kb/s.</summary>
public class FfmpegLogTests
{
    private static string Fixture(string folder, string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name));

    private static FfmpegLog Log(string name) => FfmpegLog.Parse(Fixture("ffmpeg", name + ".txt"));

    [Theory]
    [InlineData("t-ogg")]
    [InlineData("t-mp3")]
    [InlineData("t-flac")]
    [InlineData("t-wav")]
    [InlineData("cover-mp3")]
    [InlineData("t-m4a")]
    [InlineData("t-opus")]
    [InlineData("multiline")]
    [InlineData("surround")]
    [InlineData("tune")]
    public void SaysWhatFfprobeSays(string name)
    {
        var probe = FfprobeParser.Parse(Fixture("ffprobe", name + ".json"));
        var log = Log(name);
        Assert.True(log.HeaderComplete);
        var dump = Assert.IsType<MediaInfo>(log.Media);
        Assert.Equal((probe.Container, probe.Codec, probe.SampleRateHz, probe.Channels, probe.HasPicture),
            (dump.Container, dump.Codec, dump.SampleRateHz, dump.Channels, dump.HasPicture));
        Assert.Equal((probe.Title, probe.Artist, probe.Album, probe.AlbumArtist, probe.Genre, probe.TrackNumber, probe.Year),
            (dump.Title, dump.Artist, dump.Album, dump.AlbumArtist, dump.Genre, dump.TrackNumber, dump.Year));
        Assert.Equal(probe.DurationSeconds!.Value, dump.DurationSeconds!.Value, 0.006);
        Assert.Equal((double)probe.BitRate!.Value, dump.BitRate!.Value, 1000.0);
        // every tag, but those ffmpeg cuts at 255 characters (and says so), and a stream's language, which it never prints
        var cut = probe.Tags.Where(t => t.Value.Split('\n').Any(line => line.Length >= FfmpegLog.MaxTagLineChars)).Select(t => t.Key).ToHashSet();
        Assert.Equal(cut.Count > 0, log.TagsTruncated);
        cut.Add("language");
        Assert.Equal(probe.Tags.Where(t => !cut.Contains(t.Key)).OrderBy(t => t.Key), dump.Tags.Where(t => !cut.Contains(t.Key)).OrderBy(t => t.Key));
        Assert.Empty(log.Errors);
    }

    [Fact]
    public void MultiLineTagsKeepTheirLines()
    {
        var m = Log("multiline").Media!;
        Assert.Equal("first line\nsecond line", m.Tags["comment"]);
        Assert.Equal(FfmpegLog.MaxTagLineChars, m.Tags["lyrics"].Length); // 300 written, 255 shown
    }

    [Fact]
    public void ACoverIsAPictureNotTheAudio()
    {
        var m = Log("cover-mp3").Media!;
        Assert.True(m.HasPicture);
        Assert.Equal("mp3", m.Codec);
        Assert.False(Log("t-mp3").Media!.HasPicture);
    }

    [Fact]
    public void AFileWithoutAudioIsDescribedAndItsErrorKept()
    {
        var log = Log("picture");
        Assert.Equal("png_pipe", log.Media!.Container);
        Assert.False(log.Media.HasAudio);
        Assert.Contains("matches no streams. | To ignore this", Assert.Single(log.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadableFileHasNoDescriptionButItsError()
    {
        var log = Log("truncated");
        Assert.Null(log.Media);
        Assert.EndsWith("End of file", Assert.Single(log.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsKeepTheirContextWarningsAndInfoDoNot()
    {
        var log = FfmpegLog.Parse("""
            [mjpeg @ 0x5619] [warning] EOI missing, emulating
            [info] Input #0, ogg, from 'x.ogg':
            [info]   Duration: 00:01:02.50, start: 0.000000, bitrate: 128 kb/s
            [info]   Stream #0:0(eng): Audio: vorbis, 44100 Hz, 2 channels (FL+LFE), fltp, 128 kb/s (default)
            [info] Stream mapping:
            [vorbis @ 0x55aa] [error] Invalid packet
            [info]   Metadata:
            [info]     title           : from the output, not the input
            """);
        Assert.Equal(62.5, log.Media!.DurationSeconds);
        Assert.Equal(2, log.Media.Channels);
        Assert.Null(log.Media.Title);
        Assert.Equal(["[vorbis] Invalid packet"], log.Errors);
    }

    [Theory]
    [InlineData("mono", 1)]
    [InlineData("stereo", 2)]
    [InlineData("5.1(side)", 6)]
    [InlineData("7.1", 8)]
    [InlineData("3 channels", 3)]
    [InlineData("2 channels (FL+LFE)", 2)]
    [InlineData("fltp", null)]
    public void ChannelLayouts(string layout, int? channels) => Assert.Equal(channels, FfmpegLog.ChannelCount(layout));

    [Fact]
    public void TheHeaderIsCompleteBeforeTheDecodeEnds()
    {
        var log = new FfmpegLog();
        foreach (var line in Fixture("ffmpeg", "t-ogg.txt").Split('\n'))
        {
            log.Add(line);
            if (line.StartsWith("[info] Stream mapping", StringComparison.Ordinal)) break;
        }
        Assert.True(log.HeaderComplete); // so the first samples need not wait for ffmpeg to exit
        Assert.Equal("Tëst Song", log.Media!.Title);
    }
}
