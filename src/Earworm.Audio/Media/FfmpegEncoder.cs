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
        var temp = TemporaryFor(outputPath);

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
            await RunAsync(args, interleaved, outputPath, "ffmpeg (encode): ", cancellationToken).ConfigureAwait(false);
            File.Move(temp, outputPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Cuts many clips out of one mono recording and encodes each into its own file, in one ffmpeg process
    /// per <paramref name="perProcess"/> clips (the recording's span that they cover goes over stdin once; each clip is an
    /// <c>atrim</c> of it, sample-exact) — a clip per process costs more than the encoding itself when clips are short.
    /// Each file is written to a temporary name and moved into place only when its process succeeded.</summary>
    public async Task EncodeClipsAsync(ReadOnlyMemory<float> mono, int sampleRate, IReadOnlyList<AudioClip> clips,
        CancellationToken cancellationToken, int perProcess = 64)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentOutOfRangeException.ThrowIfLessThan(perProcess, 1);
        foreach (var c in clips)
            if (c.From < 0 || c.Length < 1 || c.From + c.Length > mono.Length)
                throw new ArgumentOutOfRangeException(nameof(clips), $"{c.Path}: samples {c.From}..{c.From + c.Length} lie outside the recording's {mono.Length}");
        foreach (var group in clips.Chunk(perProcess))
        {
            int from = group.Min(c => c.From), to = group.Max(c => c.From + c.Length);
            var filter = new System.Text.StringBuilder(group.Length == 1 ? "[0:a]anull[s0];" : $"[0:a]asplit={group.Length}");
            if (group.Length > 1)
            {
                for (int i = 0; i < group.Length; i++) filter.Append(CultureInfo.InvariantCulture, $"[s{i}]");
                filter.Append(';');
            }
            for (int i = 0; i < group.Length; i++)
                filter.Append(CultureInfo.InvariantCulture,
                    $"[s{i}]atrim=start_sample={group[i].From - from}:end_sample={group[i].From - from + group[i].Length},asetpts=PTS-STARTPTS[o{i}]{(i + 1 < group.Length ? ";" : "")}");
            var args = new List<string>
            {
                "-hide_banner", "-v", "error", "-y",
                "-f", "f32le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-i", "pipe:0",
                "-filter_complex", filter.ToString(),
            };
            var temps = new string[group.Length];
            for (int i = 0; i < group.Length; i++)
            {
                var (format, codec) = CodecFor(group[i].Path);
                temps[i] = TemporaryFor(group[i].Path);
                args.AddRange(["-map", $"[o{i}]"]);
                foreach (var (k, v) in group[i].Tags) { args.Add("-metadata"); args.Add($"{k}={v}"); }
                args.AddRange(codec);
                args.AddRange(["-f", format, temps[i]]);
            }
            try
            {
                await RunAsync(args, mono[from..to], group[0].Path, "ffmpeg (encode clips): ", cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < group.Length; i++) File.Move(temps[i], group[i].Path, overwrite: true);
            }
            finally
            {
                foreach (var temp in temps) if (temp is not null && File.Exists(temp)) File.Delete(temp);
            }
        }
    }

    /// <summary>A temporary name beside <paramref name="path"/> (its folder created) for a file moved into place only
    /// once it is whole.</summary>
    private static string TemporaryFor(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.part");
    }

    /// <summary>Runs ffmpeg with <paramref name="args"/>, <paramref name="samples"/> on its input; a failure is reported
    /// against <paramref name="path"/> with ffmpeg's stderr.</summary>
    private async Task RunAsync(List<string> args, ReadOnlyMemory<float> samples, string path, string what, CancellationToken cancellationToken)
    {
        await using var run = ToolProcess.Start(tools.FfmpegPath, args, redirectInput: true, Timeout, cancellationToken);
        try
        {
            await WriteAsync(run.StandardInput, samples, run.Token).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // ffmpeg closed its input early; its exit code and stderr below say why.
        }
        int exit = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (exit != 0) throw new MediaReadException(path, exit, what + ToolProcess.Tail(run.StderrTail));
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

/// <summary>One clip of <see cref="FfmpegEncoder.EncodeClipsAsync"/>: <paramref name="Length"/> samples from sample
/// <paramref name="From"/> of the recording, encoded into <paramref name="Path"/> (its extension picks the codec) with
/// <paramref name="Tags"/>.</summary>
public sealed record AudioClip(int From, int Length, string Path, IReadOnlyDictionary<string, string> Tags);
