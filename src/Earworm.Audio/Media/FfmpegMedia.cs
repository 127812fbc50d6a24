using System.Globalization;

namespace Earworm.Audio.Media;

/// <summary>What a player asked for: a format ffmpeg encodes, a bit rate, a point to start from.</summary>
/// <param name="Format">mp3, opus, ogg (Vorbis) or aac.</param>
public sealed record TranscodeRequest(string Format, int BitRateKbps, double OffsetSeconds = 0)
{
    public static readonly IReadOnlyList<string> Formats = ["mp3", "opus", "ogg", "aac"];

    /// <summary>The MIME type of the stream.</summary>
    public string ContentType => Format switch
    {
        "mp3" => "audio/mpeg",
        "opus" => "audio/ogg; codecs=opus",
        "ogg" => "audio/ogg",
        _ => "audio/aac",
    };

    /// <exception cref="UsageException">an unknown format, a bit rate outside 8–512 kb/s, a negative offset.</exception>
    public void Validate()
    {
        if (!Formats.Contains(Format)) throw new UsageException($"format '{Format}' is not one of {string.Join(", ", Formats)}");
        if (BitRateKbps is < 8 or > 512) throw new UsageException("the bit rate must be 8–512 kb/s");
        if (!(OffsetSeconds >= 0)) throw new UsageException("the offset must be 0 or more seconds");
    }
}

/// <summary>
/// Media for players, made by ffmpeg on the fly: audio transcoded while it streams (the first bytes leave as soon as
/// ffmpeg writes them; a player that hangs up stops ffmpeg), and pictures (a file's embedded cover, or an image file)
/// scaled to a size as JPEG.
/// </summary>
public static class FfmpegMedia
{
    private static readonly TimeSpan TranscodeLimit = TimeSpan.FromHours(3);
    private static readonly TimeSpan PictureLimit = TimeSpan.FromSeconds(30);

    /// <summary>Transcodes <paramref name="path"/> into <paramref name="output"/>.</summary>
    /// <exception cref="MediaReadException">ffmpeg failed before writing anything.</exception>
    public static async Task TranscodeAsync(string path, TranscodeRequest request, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        request.Validate();
        var tools = FfmpegTools.Locate();
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        if (request.OffsetSeconds > 0) args.AddRange(["-ss", request.OffsetSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        using var input = MediaInput.For(path);
        args.AddRange(["-i", input.Path, "-map", "0:a:0", "-vn", "-map_metadata", "-1"]);
        args.AddRange(request.Format switch
        {
            "mp3" => ["-c:a", "libmp3lame", "-f", "mp3"],
            "opus" => ["-c:a", "libopus", "-f", "ogg"],
            "ogg" => ["-c:a", "libvorbis", "-f", "ogg"],
            _ => ["-c:a", "aac", "-f", "adts"],
        });
        args.AddRange(["-b:a", $"{request.BitRateKbps}k", "pipe:1"]);
        await using var p = ToolProcess.Start(tools.FfmpegPath, args, redirectInput: false, TranscodeLimit, cancellationToken);
        long written = 0;
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await p.StandardOutput.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            written += n;
        }
        int exit = await p.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (exit != 0 && written == 0) throw new MediaReadException(path, exit, $"ffmpeg could not transcode it: {ToolProcess.Tail(input.Named(p.StderrTail, path))}");
    }

    /// <summary>The first picture of a file (an audio file's embedded cover, or an image) as JPEG, scaled to fit in
    /// <paramref name="sizePx"/> × <paramref name="sizePx"/> when given; null when it has none.</summary>
    public static async Task<byte[]?> PictureAsync(string path, int? sizePx, CancellationToken cancellationToken)
    {
        var tools = FfmpegTools.Locate();
        using var input = MediaInput.For(path);
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", input.Path, "-map", "0:v:0", "-frames:v", "1" };
        if (sizePx is { } s) args.AddRange(["-vf", $"scale={s}:{s}:force_original_aspect_ratio=decrease"]);
        args.AddRange(["-c:v", "mjpeg", "-f", "image2pipe", "pipe:1"]);
        await using var p = ToolProcess.Start(tools.FfmpegPath, args, redirectInput: false, PictureLimit, cancellationToken);
        using var bytes = new MemoryStream();
        await p.StandardOutput.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        int exit = await p.WaitAsync(cancellationToken).ConfigureAwait(false);
        return exit == 0 && bytes.Length > 0 ? bytes.ToArray() : null;
    }
}
