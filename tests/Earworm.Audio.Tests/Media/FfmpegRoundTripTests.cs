using Earworm.Testing;
using Earworm.Audio.Media;
using Earworm.Audio.Spectral;

namespace Earworm.Audio.Tests.Media;

/// <summary>Encode a known signal with ffmpeg in each format, then probe and decode it back.</summary>
public sealed class FfmpegRoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("earworm-media-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static float[] StereoSine(double hz, double seconds, int rate, float amplitude)
    {
        int n = (int)(seconds * rate);
        var x = new float[2 * n];
        for (int i = 0; i < n; i++) x[2 * i] = x[2 * i + 1] = amplitude * (float)Math.Sin(2 * Math.PI * hz * i / rate);
        return x;
    }

    [FfmpegTheory]
    [InlineData(".mp3")]
    [InlineData(".ogg")]
    [InlineData(".flac")]
    [InlineData(".wav")]
    [InlineData(".opus")]
    [InlineData(".m4a")]
    [InlineData(".wma")]
    public async Task DecodesEachFormatToMono22050(string extension)
    {
        var tools = FfmpegTools.Locate();
        var path = Path.Combine(_dir, "tone ü" + extension);
        var tags = new Dictionary<string, string> { ["title"] = "Tone Ü", ["artist"] = "Earworm", ["album"] = "Tests" };
        await new FfmpegEncoder(tools).EncodeAsync(StereoSine(441, 2.0, 44100, 0.5f), 44100, 2, path, tags, CancellationToken.None);

        var decoder = new FfmpegDecoder(tools);
        var info = await decoder.ProbeAsync(path, CancellationToken.None);
        Assert.True(info.HasAudio);
        Assert.Equal(2.0, info.DurationSeconds!.Value, 0.1);
        if (extension != ".wav") Assert.Equal("Tone Ü", info.Title);

        var pcm = await decoder.DecodeAllAsync(path, 22050, CancellationToken.None);
        Assert.InRange(pcm.Length, 44100 - 2048, 44100 + 4096); // codecs pad a frame or two
        // the tone survives: dominant bin of a 1024-point spectrum from the middle is 441 Hz (bin ≈ 20.5)
        var fft = new RealFft(1024);
        var power = new double[513];
        fft.Power(pcm.AsSpan(pcm.Length / 2, 1024).ToArray().Select(s => (double)s).ToArray(), power, new double[513], new double[513]);
        int peak = Array.IndexOf(power, power.Max());
        Assert.InRange(peak * 22050.0 / 1024, 441 - 25, 441 + 25);
        double rms = Math.Sqrt(pcm.Skip(4096).Take(pcm.Length - 8192).Average(s => (double)s * s));
        // ffmpeg's -ac 1 sums L and R at -3 dB each (swresample's default matrix), so identical channels
        // of amplitude 0.5 become a mono sine of amplitude 0.5·√2, RMS 0.5; the log-mel reference shares this.
        Assert.Equal(0.5, rms, 0.03);
    }

    [FfmpegFact]
    public async Task ClipsCutFromOneRecordingAreEachItsOwnSamples()
    {
        // a recording whose every sample tells where it lies; three clips (one WAV, so its samples read back exact)
        const int rate = 8000;
        var recording = Enumerable.Range(0, 3 * rate).Select(i => (i % 4000 - 2000) / 4000f).ToArray();
        var tools = FfmpegTools.Locate();
        var clips = new[]
        {
            new AudioClip(100, 2000, Path.Combine(_dir, "a.wav"), new Dictionary<string, string>()),
            new AudioClip(9000, 4000, Path.Combine(_dir, "sub", "b.wav"), new Dictionary<string, string>()),
            new AudioClip(20000, 3000, Path.Combine(_dir, "c.flac"), new Dictionary<string, string> { ["title"] = "Clip C" }),
        };
        await new FfmpegEncoder(tools).EncodeClipsAsync(recording, rate, clips, CancellationToken.None, perProcess: 2);

        var decoder = new FfmpegDecoder(tools);
        foreach (var clip in clips)
        {
            var pcm = await decoder.DecodeAllAsync(clip.Path, rate, CancellationToken.None);
            Assert.Equal(clip.Length, pcm.Length);
            for (int i = 0; i < pcm.Length; i += 97) Assert.Equal(recording[clip.From + i], pcm[i], 1e-3);
        }
        Assert.Equal("Clip C", (await decoder.ProbeAsync(clips[2].Path, CancellationToken.None)).Title);
        Assert.Empty(Directory.GetFiles(_dir, "*.part", SearchOption.AllDirectories));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new FfmpegEncoder(tools).EncodeClipsAsync(recording, rate,
            [new AudioClip(3 * rate - 10, 20, Path.Combine(_dir, "past the end.wav"), new Dictionary<string, string>())], CancellationToken.None));
    }

    [FfmpegFact]
    public async Task ATextFileNamedMp3FailsWithFfmpegsReason()
    {
        var path = Path.Combine(_dir, "not audio.mp3");
        await File.WriteAllTextAsync(path, "this is not audio\n");
        var decoder = new FfmpegDecoder(FfmpegTools.Locate());
        var e = await Assert.ThrowsAsync<MediaReadException>(() => decoder.ProbeAsync(path, CancellationToken.None));
        Assert.Equal(path, e.FilePath);
        Assert.NotEqual(0, e.ExitCode);
        Assert.Contains("ffprobe", e.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MediaReadException>(() => decoder.DecodeAllAsync(path, 22050, CancellationToken.None));
    }

    [FfmpegFact]
    public async Task CancellationStopsADecode()
    {
        var tools = FfmpegTools.Locate();
        var path = Path.Combine(_dir, "long.flac");
        await new FfmpegEncoder(tools).EncodeAsync(StereoSine(220, 30, 44100, 0.3f), 44100, 2, path, new Dictionary<string, string>(), CancellationToken.None);
        using var cts = new CancellationTokenSource();
        long seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FfmpegDecoder(tools).DecodeAsync(path, 22050, chunk =>
        {
            seen += chunk.Length;
            if (seen > 22050) cts.Cancel();
        }, cts.Token));
    }

    [Fact]
    public void UnknownExtensionsCannotBeEncoded() =>
        Assert.Throws<ArgumentException>(() => FfmpegEncoder.CodecFor("x.xyz"));
}
