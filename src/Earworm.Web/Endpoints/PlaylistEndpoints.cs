using System.Text;
using Earworm.Catalog;
using Earworm.Web.Library;
using Earworm.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Earworm.Web.Endpoints;

/// <summary>What a listener does: playlists, recommendations, feedback, and analysing a file of their own.</summary>
internal static class PlaylistEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/playlist/keep-playing", KeepPlaying).WithName("KeepPlaying").WithTags("playlist")
            .WithSummary("Keep playing songs like the seeds (tracks or an analysed upload): keepOn, drunk and the steering constraints");
        api.MapPost("/playlist/join-the-dots", JoinTheDots).WithName("JoinTheDots").WithTags("playlist")
            .WithSummary("From one track to another through waypoints, one track per step, ending exactly at the last");
        api.MapPost("/playlist/m3u8", M3u8).WithName("SaveM3u8").WithTags("playlist").WithSummary("A playlist of track ids as an M3U8 file");
        api.MapGet("/recommend", Recommend).WithName("Recommend").WithTags("recommend").WithSummary("Personal recommendations for a listener");
        api.MapPost("/feedback", Feedback).WithName("Feedback").WithTags("feedback").WithSummary("Record play, like, dislike or skip of a track");
        api.MapPost("/analyse", Analyse).WithName("Analyse").WithTags("analyse").DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Analyse an uploaded audio file (multipart field 'file'): its descriptors, its audio-model embedding when the catalog " +
                         "has an audio model, and the nearest tracks in ?space= (default: audio when embedded, else descriptors); not added to the library");
    }

    private static async Task<Ok<PlaylistResult>> KeepPlaying(LibraryState state, IPlaylistEngine engine, UploadAnalyser uploads,
        UploadPlacement placement, WebOptions options, KeepPlayingRequest request)
    {
        PlaylistRequests.Validate(request);
        var library = state.Current;
        UploadSeed? seed = null;
        if (request.Upload is { Length: > 0 } id)
        {
            var upload = uploads.Find(id) ?? throw new UsageException($"no analysed upload {id} (uploads are kept while the server runs; send the file again)");
            var point = await placement.PlaceAsync(library, upload, request.Space).ConfigureAwait(false);
            seed = new UploadSeed(point.Space.Name, point.Vector, upload.Descriptors, "your file", upload.ContentHash);
        }
        return TypedResults.Ok(engine.KeepPlaying(library, request, Disliked(state, request.User ?? options.DefaultUser), seed));
    }

    private static Ok<PlaylistResult> JoinTheDots(LibraryState state, IPlaylistEngine engine, WebOptions options, JoinTheDotsRequest request)
    {
        PlaylistRequests.Validate(request);
        return TypedResults.Ok(engine.JoinTheDots(state.Current, request, Disliked(state, request.User ?? options.DefaultUser)));
    }

    /// <summary>The playlist to save: track ids in order, and a name.</summary>
    public sealed record M3u8Request(IReadOnlyList<long> Tracks, string? Name);

    private static IResult M3u8(LibraryState state, M3u8Request request)
    {
        if (request.Tracks is null || request.Tracks.Count == 0) throw new UsageException("tracks must list at least one track id");
        var library = state.Current;
        var sb = new StringBuilder("#EXTM3U\n");
        var name = string.IsNullOrWhiteSpace(request.Name) ? "Earworm playlist" : request.Name.ReplaceLineEndings(" ");
        sb.Append("#PLAYLIST:").Append(name).Append('\n');
        foreach (var id in request.Tracks)
        {
            var t = library.Find(id) ?? throw new TrackNotFoundException(id);
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"#EXTINF:{Math.Round(t.DurationSeconds ?? -1)},{t.Artist} - {t.Title}\n");
            sb.Append(t.Path).Append('\n');
        }
        var file = new string([.. name.Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' ? c : '_')]).Trim() + ".m3u8";
        return Results.File(Encoding.UTF8.GetBytes(sb.ToString()), "audio/x-mpegurl; charset=utf-8", file);
    }

    private static Ok<RecommendResult> Recommend(LibraryState state, IPersonalRecommender recommender, WebOptions options, string? user, int? count, double? diversity)
    {
        int n = count ?? 20;
        if (n is < 1 or > 1000) throw new UsageException("count must be 1–1000");
        double div = diversity ?? 0;
        if (!(div >= 0 && div <= 1)) throw new UsageException("diversity must be 0–1");
        return TypedResults.Ok(recommender.Recommend(state, string.IsNullOrWhiteSpace(user) ? options.DefaultUser : user.Trim(), n, div));
    }

    /// <summary>A listener's reaction to a track.</summary>
    public sealed record FeedbackRequest(long TrackId, FeedbackKind? Kind, string? User, string? Context);

    /// <summary>The feedback as recorded.</summary>
    public sealed record FeedbackRecorded(long Id, string User, long TrackId, FeedbackKind Kind);

    private static Created<FeedbackRecorded> Feedback(LibraryState state, WebOptions options, FeedbackRequest request)
    {
        if (state.Current.Find(request.TrackId) is null) throw new TrackNotFoundException(request.TrackId);
        if (request.Kind is not { } kind || !Enum.IsDefined(kind)) throw new UsageException("kind must be play, like, dislike or skip");
        var user = string.IsNullOrWhiteSpace(request.User) ? options.DefaultUser : request.User.Trim();
        if (user.Length > 100) throw new UsageException("user names are at most 100 characters");
        var context = request.Context is { Length: > 500 } ? request.Context[..500] : request.Context;
        long id = state.WithCatalog(c => c.RecordFeedback(user, request.TrackId, kind, context));
        return TypedResults.Created($"/api/feedback/{id}", new FeedbackRecorded(id, user, request.TrackId, kind));
    }

    /// <summary>An analysed file: its id (a seed for keep-playing), media facts, descriptors, nearest tracks (in
    /// <c>similar.space</c>), the spaces it can be placed in (best first), and the audio model that embedded it or why none did.</summary>
    public sealed record AnalyseResult(string Upload, string FileName, string Container, string? Codec, double? DurationSeconds,
        DescriptorDetail Descriptors, SimilarResult Similar, IReadOnlyList<string> Spaces, string? AudioModel, string? AudioUnavailable);

    private static async Task<Ok<AnalyseResult>> Analyse(HttpRequest request, LibraryState state, UploadAnalyser uploads, UploadPlacement placement,
        WebOptions options, int? count, string? space, CancellationToken ct)
    {
        int n = count ?? 10;
        if (n is < 1 or > 1000) throw new UsageException("count must be 1–1000");
        var file = await UploadedFile(request, options.MaxUploadBytes, ct).ConfigureAwait(false);
        if (file.Length == 0) throw new UsageException("the file is empty");
        if (!string.IsNullOrWhiteSpace(space)) state.Current.Space(space); // a space the catalog lacks is refused before the work
        await using var content = file.OpenReadStream();
        var upload = await uploads.AnalyseAsync(content, file.FileName, ct).ConfigureAwait(false);
        var library = state.Current;
        var point = await placement.PlaceAsync(library, upload, space).ConfigureAwait(false);
        var similar = SimilarService.ForUpload(library, upload, point, n);
        return TypedResults.Ok(new AnalyseResult(upload.Id, upload.FileName, upload.Media.Container, upload.Media.Codec,
            upload.Media.DurationSeconds, DescriptorDetail.Of(upload.Descriptors), similar,
            await placement.SpacesAsync(library, upload).ConfigureAwait(false), upload.Audio.ModelVersion, upload.Audio.Unavailable));
    }

    /// <summary>The multipart field <c>file</c>; a file over the limit is a 413 whichever layer notices it first (Kestrel's
    /// request size, the multipart reader, or the file's length here).</summary>
    private static async Task<IFormFile> UploadedFile(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        var tooLarge = new UploadTooLargeException(maxBytes);
        if (!request.HasFormContentType) throw new UsageException("send the audio file as multipart/form-data, field 'file'");
        if (request.ContentLength > maxBytes + WebOptions.MultipartEnvelopeBytes) throw tooLarge;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw tooLarge;
        }
        var file = form.Files.GetFile("file") ?? throw new UsageException("send the audio file as the multipart field 'file'");
        return file.Length > maxBytes ? throw tooLarge : file;
    }

    private static HashSet<long> Disliked(LibraryState state, string user) =>
        state.WithCatalog(c => c.FeedbackOf(user).Where(f => f.Kind == FeedbackKind.Dislike).Select(f => f.TrackId).ToHashSet());
}
