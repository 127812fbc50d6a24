using Earworm.App.Library;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Microsoft.AspNetCore.Http;

namespace Earworm.Subsonic.Endpoints;

/// <summary>stream (HTTP ranges on the file as it is; <c>format</c>/<c>maxBitRate</c>/<c>timeOffset</c> transcode
/// with ffmpeg on the fly, of a length estimated beforehand on <c>estimateContentLength</c>), download (the file as it is) and getCoverArt (a file's embedded picture, else
/// cover.jpg/folder.jpg beside it, scaled to <c>size</c>). Files are found by id only, and only inside the library's
/// folders (<see cref="AudioAccess"/>).</summary>
internal static class MediaEndpoints
{
    public const int MaxCoverPx = 3000;

    public static void Register(SubsonicApi api)
    {
        api.Add("stream", Stream);
        api.Add("download", r => ValueTask.FromResult<object?>(Results.File(File(r, r.Song()), AudioAccess.ContentType(r.Song().Path),
            Path.GetFileName(r.Song().Path), enableRangeProcessing: true)));
        api.Add("getCoverArt", CoverArt);
    }

    private static ValueTask<object?> Stream(SubsonicRequest r)
    {
        var track = r.Song();
        var path = File(r, track);
        int? maxKbps = r.P.Int("maxBitRate", 0, 10_000);
        var format = r.P.Get("format")?.Trim().ToLowerInvariant();
        double offset = r.P.Double("timeOffset", 0, 100_000) ?? 0;
        var suffix = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        int sourceKbps = (int)((track.BitRate ?? 0) / 1000);
        // the format is the app's preference: one Earworm cannot make (flac, wav, wma…) is the file as it is, unless
        // a lower bit rate or an offset asks for a transcoding (then mp3), never an error an app would try to play
        bool wantsFormat = format is { Length: > 0 } && format != "raw" && format != suffix && TranscodeRequest.Formats.Contains(format);
        bool wantsLower = maxKbps is > 0 && (sourceKbps == 0 || maxKbps < sourceKbps);
        if (format is "raw" || (!wantsFormat && !wantsLower && offset == 0))
            return ValueTask.FromResult<object?>(Results.File(path, AudioAccess.ContentType(path), enableRangeProcessing: true));
        var target = wantsFormat ? format! : "mp3";
        // without a bit rate asked, 192 kbps or the file's own if lower: a transcoding never sends more than the file holds
        int kbps = maxKbps is > 0 ? maxKbps.Value : sourceKbps > 0 ? Math.Min(192, sourceKbps) : 192;
        var request = new TranscodeRequest(target, Math.Clamp(kbps, 32, 320), offset);
        // estimateContentLength: players that need a length up front (progress bars, some casting devices) get the bit
        // rate times what is left of the track; the stream is then cut or padded to exactly that many bytes
        long? length = r.P.Bool("estimateContentLength") == true && track.DurationSeconds is > 0 and var seconds
            ? EstimatedLength(request, seconds) : null;
        return ValueTask.FromResult<object?>(new TranscodedAudio(path, request, length));
    }

    private static async ValueTask<object?> CoverArt(SubsonicRequest r)
    {
        var id = r.P.Require("id");
        int? size = r.P.Int("size", 1, MaxCoverPx);
        var lib = r.Library;
        var track = lib.Song(id) ?? lib.Album(id)?.CoverTrack ?? lib.Artist(id)?.Albums.FirstOrDefault()?.CoverTrack
            ?? throw SubsonicException.NotFound($"cover art '{SubsonicException.Clip(id)}'");
        var path = File(r, track);
        byte[]? picture = track.HasPicture == false ? null : await FfmpegMedia.PictureAsync(path, size, r.Aborted).ConfigureAwait(false);
        if (picture is null && Path.GetDirectoryName(path) is { } folder)
        {
            foreach (var name in SubsonicLibrary.FolderImages)
            {
                var image = Path.Combine(folder, name);
                if (!System.IO.File.Exists(image)) continue;
                picture = size is null ? await System.IO.File.ReadAllBytesAsync(image, r.Aborted).ConfigureAwait(false)
                    : await FfmpegMedia.PictureAsync(image, size, r.Aborted).ConfigureAwait(false);
                if (picture is not null) return Results.Bytes(picture, name.EndsWith(".png", StringComparison.Ordinal) && size is null ? "image/png" : "image/jpeg");
            }
        }
        return picture is null ? throw SubsonicException.NotFound($"cover art of '{SubsonicException.Clip(id)}'") : Results.Bytes(picture, "image/jpeg");
    }

    /// <summary>The file of a track, if it may be served.</summary>
    private static string File(SubsonicRequest r, TrackRecord track)
    {
        var (path, refusal) = AudioAccess.Resolve(r.Library.View, track.Id);
        return path ?? throw SubsonicException.NotFound(refusal ?? $"song {track.Id}");
    }

    /// <summary>The bytes a transcoding of what is left of a track after its offset comes to at the asked bit rate
    /// (at least one second's).</summary>
    internal static long EstimatedLength(TranscodeRequest request, double durationSeconds) =>
        (long)Math.Ceiling(Math.Max(1, durationSeconds - request.OffsetSeconds) * request.BitRateKbps * 1000 / 8);

    /// <summary>Audio transcoded while it is sent (no ranges: players read it to the end or hang up); without a length
    /// it is chunked, with one (estimated) exactly that many bytes: cut at it, or padded with zeros (which decoders pass
    /// over as they do any bytes between frames).</summary>
    private sealed class TranscodedAudio(string path, TranscodeRequest request, long? length) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = request.ContentType;
            if (length is not { } total)
            {
                await FfmpegMedia.TranscodeAsync(path, request, http.Response.Body, http.RequestAborted).ConfigureAwait(false);
                return;
            }
            http.Response.ContentLength = total;
            if (HttpMethods.IsHead(http.Request.Method)) return;
            var body = new ExactLengthStream(http.Response.Body, total);
            await FfmpegMedia.TranscodeAsync(path, request, body, http.RequestAborted).ConfigureAwait(false);
            await body.PadAsync(http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Passes on at most <c>length</c> bytes and drops the rest; <see cref="PadAsync"/> fills up to it with zeros.</summary>
    internal sealed class ExactLengthStream(Stream inner, long length) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = (int)Math.Min(buffer.Length, length - _written);
            if (n <= 0) return;
            await inner.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
            _written += n;
        }

        public async Task PadAsync(CancellationToken cancellationToken)
        {
            var zeros = new byte[16 * 1024];
            while (_written < length) await WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, length - _written)), cancellationToken).ConfigureAwait(false);
        }
    }
}
