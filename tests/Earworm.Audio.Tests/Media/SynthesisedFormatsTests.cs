using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Testing;

namespace Earworm.Audio.Tests.Media;

/// <summary>A synthesised track survives every demo format: encoded by ffmpeg, probed, decoded at 22 050 Hz.</summary>
public sealed class SynthesisedFormatsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [FfmpegTheory]
    [InlineData("mp3")]
    [InlineData("ogg")]
    [InlineData("flac")]
    [InlineData("wav")]
    public async Task DecodesWhatTheSynthesiserWrote(string format)
    {
        var tools = FfmpegTools.Locate();
        var track = Synthesizer.Render(TrackSpec.Typical(SynthStyle.House, durationSeconds: 6));
        var path = _dir.File($"house é.{format}");
        await new FfmpegEncoder(tools).EncodeAsync(track.Samples, track.SampleRate, 2, path,
            new Dictionary<string, string> { ["title"] = "House", ["genre"] = "House" }, CancellationToken.None);

        var decoder = new FfmpegDecoder(tools);
        var info = await decoder.ProbeAsync(path, CancellationToken.None);
        Assert.Equal(6.0, info.DurationSeconds!.Value, 0.1);
        if (format != "wav") Assert.Equal("House", info.Title);

        var pcm = await decoder.DecodeAllAsync(path, 22050, CancellationToken.None);
        Assert.InRange(pcm.Length, 6 * 22050 - 1200, 6 * 22050 + 2400);
        // the level survives the codec: the mono down-mix (L+R at -3 dB each) of the source, within 1 dB
        var mono = track.ToMono();
        double sourceRms = Math.Sqrt(mono.Average(s => (double)s * s) * 2); // ToMono averages; ffmpeg sums at -3 dB: ×√2
        double decodedRms = Math.Sqrt(pcm.Average(s => (double)s * s));
        Assert.Equal(0, 20 * Math.Log10(decodedRms / sourceRms), 1.0);
    }
}
