using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;

namespace Earworm.Cli.Tests;

/// <summary>The small synthesised libraries the audio-model tests scan: for each style, two 6-second tracks (tonics 0
/// and 2, seeds 1 and 2) written as FLAC named t0, t1… in order, tagged with the style's album when it has one.</summary>
internal static class SynthLibrary
{
    /// <summary>The <paramref name="k"/>-th track of a style (0 or 1).</summary>
    public static TrackSpec Spec(SynthStyle style, int k) => TrackSpec.Typical(style, tonic: 2 * k, seed: k + 1, durationSeconds: 6);

    /// <summary>Writes the library into <paramref name="folder"/> (created) and returns the folder's full path.</summary>
    public static async Task<string> WriteAsync(string folder, params (SynthStyle Style, string? Album)[] styles)
    {
        var library = Directory.CreateDirectory(folder).FullName;
        int i = 0;
        foreach (var (style, album) in styles)
            for (int k = 0; k < 2; k++, i++)
                await WriteTrackAsync(Path.Combine(library, $"t{i}.flac"), Spec(style, k),
                    album is null ? null : new Dictionary<string, string> { ["album"] = album, ["title"] = $"Track {i}", ["artist"] = "Synth" });
        return library;
    }

    /// <summary>Renders <paramref name="spec"/> at 22 050 Hz and encodes it as stereo in the format of the path's extension.</summary>
    public static async Task WriteTrackAsync(string path, TrackSpec spec, Dictionary<string, string>? tags = null)
    {
        var track = Synthesizer.Render(spec, 22050);
        await new FfmpegEncoder(FfmpegTools.Locate()).EncodeAsync(track.Samples, track.SampleRate, 2, path, tags ?? [], CancellationToken.None);
    }
}
