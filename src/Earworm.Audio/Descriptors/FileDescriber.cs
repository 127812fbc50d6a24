using Earworm.Audio.Media;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// The descriptors of any audio file, measured now: decoded with ffmpeg at the analyser's rate and described as a scan
/// describes a track. The one owner of "decode a file and describe it" (<c>describe FILE</c>, <c>similar FILE</c>,
/// playlist seeds outside the library, files sent to the web app).
/// </summary>
public static class FileDescriber
{
    /// <exception cref="MediaReadException">ffmpeg cannot read the file.</exception>
    /// <exception cref="PrerequisiteMissingException">ffmpeg is not installed.</exception>
    public static async Task<TrackDescriptors> DescribeAsync(string path, CancellationToken cancellationToken, FfmpegDecoder? decoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var describer = new TrackDescriptorAnalyzer();
        await (decoder ?? new FfmpegDecoder(FfmpegTools.Locate()))
            .DecodeAsync(path, describer.Options.SampleRate, describer.Push, cancellationToken).ConfigureAwait(false);
        return describer.Result();
    }
}
