using Earworm.App.Library;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Microsoft.AspNetCore.Http;

namespace Earworm.Subsonic.Endpoints;

/// <summary>stream (HTTP ranges on the file as it is; <c>format</c>/<c>maxBitRate</c>/<c>timeOffset</c> transcode
/// with ffmpeg on the fly), download (the file as it is) and getCoverArt (a file's embedded picture, else
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
        return ValueTask.FromResult<object?>(new TranscodedAudio(path, request));
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

    /// <summary>Audio transcoded while it is sent (no length, no ranges: players read it to the end or hang up).</summary>
    private sealed class TranscodedAudio(string path, TranscodeRequest request) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = request.ContentType;
            await FfmpegMedia.TranscodeAsync(path, request, http.Response.Body, http.RequestAborted).ConfigureAwait(false);
        }
    }
}
