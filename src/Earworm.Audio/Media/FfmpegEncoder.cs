using System.Globalization;
using System.Runtime.InteropServices;

namespace Earworm.Audio.Media;

/// <summary>Encodes PCM into real audio files with ffmpeg (libmp3lame, libvorbis, flac, PCM WAV,
/// libopus, AAC, WMA), fed as float32 over stdin. Used by the demo library and by tests.</summary>
public sealed class FfmpegEncoder(FfmpegTools tools) : IAudioEncoder
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public async Task EncodeAsync(ReadOnlyMemory<float> interleaved, int sampleRate, int channels, string outputPath,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (channels is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(channels), channels, "1 or 2 channels");
        var (format, codec) = CodecFor(outputPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(outputPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.part");

        var args = new List<string>
        {
            "-hide_banner", "-v", "error", "-y",
            "-f", "f32le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture),
            "-ac", channels.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
        };
        foreach (var (k, v) in tags) { args.Add("-metadata"); args.Add($"{k}={v}"); }
        args.AddRange(codec);
        args.AddRange(["-f", format, temp]);

        try
        {
            await using (var run = ToolProcess.Start(tools.FfmpegPath, args, redirectInput: true, Timeout, cancellationToken))
            {
                try
                {
                    await WriteAsync(run.StandardInput, interleaved, run.Token).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // ffmpeg closed its input early; its exit code and stderr below say why.
                }
                int exit = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (exit != 0) throw new MediaReadException(outputPath, exit, "ffmpeg (encode): " + ToolProcess.Tail(run.StderrTail));
            }
            File.Move(temp, outputPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static async Task WriteAsync(Stream stdin, ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        const int chunk = 1 << 15;
        var bytes = new byte[chunk * sizeof(float)];
        for (int i = 0; i < samples.Length; i += chunk)
        {
            var part = samples.Span.Slice(i, Math.Min(chunk, samples.Length - i));
            MemoryMarshal.AsBytes(part).CopyTo(bytes);
            await stdin.WriteAsync(bytes.AsMemory(0, part.Length * sizeof(float)), cancellationToken).ConfigureAwait(false);
        }
        stdin.Close();
    }

    /// <summary>The ffmpeg muxer and codec arguments for a file extension.</summary>
    internal static (string Format, string[] Codec) CodecFor(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp3" => ("mp3", ["-c:a", "libmp3lame", "-q:a", "4"]),
            ".ogg" or ".oga" => ("ogg", ["-c:a", "libvorbis", "-q:a", "4"]),
            ".opus" => ("opus", ["-c:a", "libopus", "-b:a", "96k"]),
            ".flac" => ("flac", ["-c:a", "flac"]),
            ".wav" => ("wav", ["-c:a", "pcm_s16le"]),
            ".m4a" or ".aac" => ("ipod", ["-c:a", "aac", "-b:a", "128k"]),
            ".wma" => ("asf", ["-c:a", "wmav2", "-b:a", "128k"]),
            var e => throw new ArgumentException($"cannot encode to '{e}': use .mp3, .ogg, .opus, .flac, .wav, .m4a or .wma", nameof(path)),
        };
}
