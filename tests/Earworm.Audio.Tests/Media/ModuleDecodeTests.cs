using Earworm.Audio.Media;
using Earworm.Testing;

namespace Earworm.Audio.Tests.Media;

/// <summary>Tracker modules (written by <see cref="ModuleWriter"/>) are found by extension and by content, and ffmpeg
/// (libopenmpt) plays their melody: C-4 for four rows, then the arpeggio's notes, 64 rows at speed 6 and tempo 125.</summary>
public sealed class ModuleDecodeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, double> Formats => new()
    {
        { "mod", 8287.0 / 32 },   // the Amiga's clock: period 428 plays 7 093 789.2 / 856 Hz
        { "xm", 8363.0 / 32 },
        { "s3m", 8363.0 / 32 },
    };

    private static byte[] Write(string format) => format switch
    {
        "mod" => ModuleWriter.Mod(),
        "xm" => ModuleWriter.Xm(),
        "s3m" => ModuleWriter.S3m(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void FoundByExtensionAndByContent(string format, double _)
    {
        var bytes = Write(format);
        Assert.True(AudioSniffer.IsModule(bytes));
        Assert.Null(AudioSniffer.WhyNotAudio($"song.{format}", bytes));
        Assert.Null(AudioSniffer.WhyNotAudio("song-without-extension", bytes.AsSpan(0, Math.Min(bytes.Length, AudioSniffer.HeaderLength))));
        Assert.True(AudioSniffer.HasAudioExtension($"SONG.{format.ToUpperInvariant()}"));
    }

    [FfmpegTheory]
    [MemberData(nameof(Formats))]
    public async Task FfmpegPlaysTheMelody(string format, double firstNoteHz)
    {
        var path = _dir.File($"tune.{format}");
        File.WriteAllBytes(path, Write(format));
        MediaInfo? media = null;
        var pcm = new List<float>();
        var result = await new FfmpegDecoder(FfmpegTools.Locate()).DecodeAsync(path, 22050, m =>
        {
            media = m;
            return chunk => pcm.AddRange(chunk.ToArray());
        }, CancellationToken.None);

        Assert.NotNull(media);
        Assert.Equal("libopenmpt", media.Container);
        Assert.Equal(7.68, media.DurationSeconds!.Value, 0.02);        // 64 rows × 6 ticks × 2.5 / 125 s
        Assert.InRange(result.DurationSeconds, 7.68, 7.9);             // libopenmpt renders 0.1 s of release after the last row
        const double row = 0.12;
        double first = Pitch(pcm, 22050, 0.05, 3.5 * row), octave = Pitch(pcm, 22050, 12 * row + 0.05, 15.5 * row);
        Assert.Equal(firstNoteHz, first, firstNoteHz * 0.03);
        Assert.Equal(2.0, octave / first, 0.06);                       // row 12 plays C-5
    }

    // Upward zero crossings per second, between two times: the pitch of a sine-like note.
    private static double Pitch(List<float> pcm, int rate, double fromSeconds, double toSeconds)
    {
        int from = (int)(fromSeconds * rate), to = (int)(toSeconds * rate), first = -1, last = -1, count = 0;
        for (int i = from + 1; i < to; i++)
        {
            if (pcm[i - 1] > 0 || pcm[i] <= 0) continue;
            if (first < 0) first = i;
            else count++;
            last = i;
        }
        Assert.True(count > 10, $"a note should sound between {fromSeconds:0.00} and {toSeconds:0.00} s");
        return count * rate / (double)(last - first);
    }
}
