using System.Text;
using Earworm.App.Discover;
using Earworm.App.Feedback;
using Earworm.App.Library;
using Earworm.App.Playlists;
using Earworm.App.Recommendations;
using Earworm.App.Sequences;
using Earworm.App.Similar;
using Earworm.App.Uploads;
using Earworm.Recommend.Personal;
using Earworm.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Earworm.Web.Endpoints;

/// <summary>What a listener does: playlists, recommendations, feedback, and analysing a file of their own. Each endpoint
/// parses its request, calls the application layer and renders the answer (<see cref="Views"/>).</summary>
internal static class DiscoveryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/playlist/keep-playing", KeepPlaying).WithName("KeepPlaying").WithTags("playlist")
            .WithSummary("Keep playing songs like the seeds (tracks or an analysed upload): keepOn, drunk and the steering constraints");
        api.MapPost("/playlist/join-the-dots", JoinTheDots).WithName("JoinTheDots").WithTags("playlist")
            .WithSummary("From one track to another through waypoints, one track per step, ending exactly at the last");
        api.MapPost("/playlist/m3u8", M3u8).WithName("SaveM3u8").WithTags("playlist").WithSummary("A playlist of track ids as an M3U8 file");
        api.MapGet("/recommend", Recommend).WithName("Recommend").WithTags("recommend").WithSummary("Personal recommendations for a listener");
        api.MapGet("/next", Next).WithName("Next").WithTags("recommend")
            .WithSummary("What to play next by the order of listening (the trained sequence model): after the track ids in ?after= (oldest " +
                         "first), else after the listener's latest session; library tracks only; ?model=sasrec|gru4rec, ?count=");
        api.MapGet("/discover", Discover).WithName("Discover").WithTags("recommend")
            .WithSummary("A listener's discovery list: library tracks by artists they never played, partly explored by a bandit (logged with propensities); save=true keeps it as the week's playlist");
        api.MapPost("/feedback", Feedback).WithName("Feedback").WithTags("feedback").WithSummary("Record play, like, dislike or skip of a track");
        api.MapPost("/analyse", Analyse).WithName("Analyse").WithTags("analyse").DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Analyse an uploaded audio file (multipart field 'file'): its descriptors, its audio-model embedding when the catalog " +
                         "has an audio model, and the nearest tracks in ?space= (default: audio when embedded, else descriptors); not added to the library");
    }

    /// <summary>A player refilling its queue: only the tracks after its seeds, history and likes; the server's listener
    /// when none is named.</summary>
    private static async Task<Ok<PlaylistView>> KeepPlaying(LibraryCache library, PlaylistService playlists, WebOptions options,
        KeepPlayingRequest request, CancellationToken ct)
    {
        var result = await playlists.KeepPlayingAsync(request with { NextOnly = true, User = request.User ?? options.DefaultUser }, ct).ConfigureAwait(false);
        return TypedResults.Ok(PlaylistView.Of(library.Current, result));
    }

    private static async Task<Ok<PlaylistView>> JoinTheDots(LibraryCache library, PlaylistService playlists, WebOptions options,
        JoinTheDotsRequest request, CancellationToken ct)
    {
        var result = await playlists.JoinTheDotsAsync(request with { User = request.User ?? options.DefaultUser }, ct).ConfigureAwait(false);
        return TypedResults.Ok(PlaylistView.Of(library.Current, result));
    }

    /// <summary>The playlist to save: track ids in order, and a name.</summary>
    public sealed record M3u8Request(IReadOnlyList<long> Tracks, string? Name);

    private static IResult M3u8(LibraryCache library, M3u8Request request)
    {
        if (request.Tracks is null || request.Tracks.Count == 0) throw new UsageException("tracks must list at least one track id");
        var view = library.Current;
        var sb = new StringBuilder("#EXTM3U\n");
        var name = string.IsNullOrWhiteSpace(request.Name) ? "Earworm playlist" : request.Name.ReplaceLineEndings(" ");
        sb.Append("#PLAYLIST:").Append(name).Append('\n');
        foreach (var id in request.Tracks)
        {
            var t = view.Find(id) ?? throw new TrackNotFoundException(id);
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"#EXTINF:{Math.Round(t.DurationSeconds ?? -1)},{t.Artist} - {t.Title}\n");
            sb.Append(t.Path).Append('\n');
        }
        var file = new string([.. name.Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' ? c : '_')]).Trim() + ".m3u8";
        return Results.File(Encoding.UTF8.GetBytes(sb.ToString()), "audio/x-mpegurl; charset=utf-8", file);
    }

    /// <summary>The cf model's recommendations, library tracks only; without one, the listener's likes steer.</summary>
    private static Ok<RecommendView> Recommend(LibraryCache library, RecommendationService recommendations, WebOptions options, string? user, int? count, double? diversity)
    {
        var who = string.IsNullOrWhiteSpace(user) ? options.DefaultUser : user.Trim();
        var result = recommendations.Recommend(new RecommendRequest(who, [], new PersonalOptions(count ?? 20, diversity ?? 0, 3),
            LibraryOnly: true, FallBackToFeedback: true));
        return TypedResults.Ok(RecommendView.Of(library.Current, who, result));
    }

    /// <summary>The sequence model's next tracks (library tracks only); the server's listener when none is named.</summary>
    private static Ok<NextResult> Next(NextService next, WebOptions options, string? user, long[]? after, string? model, int? count)
    {
        var who = string.IsNullOrWhiteSpace(user) ? options.DefaultUser : user.Trim();
        var history = (after ?? []).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return TypedResults.Ok(next.Next(new NextRequest(who, history, model, count ?? 20, LibraryOnly: true)));
    }

    /// <summary>A discovery list of library tracks (what the player can play), as <c>earworm discover --library-only</c>.</summary>
    private static Ok<DiscoverView> Discover(LibraryCache library, DiscoverService discover, WebOptions options, string? user, int? count, double? explore, bool? save)
    {
        var who = string.IsNullOrWhiteSpace(user) ? options.DefaultUser : user.Trim();
        var defaults = new DiscoverOptions();
        var result = discover.Discover(new DiscoverRequest(who ?? "", defaults with { Count = count ?? defaults.Count, Explore = explore ?? defaults.Explore },
            LibraryOnly: true, Save: save ?? false));
        return TypedResults.Ok(DiscoverView.Of(library.Current, result));
    }

    private static async Task<Created<FeedbackRecorded>> Feedback(FeedbackService feedback, WebOptions options, FeedbackRequest request)
    {
        var recorded = await feedback.RecordAsync(request, options.DefaultUser).ConfigureAwait(false);
        return TypedResults.Created($"/api/feedback/{recorded.Id}", recorded);
    }

    /// <summary>An analysed file: its id (a seed for keep-playing), media facts, descriptors, nearest tracks (in
    /// <c>similar.space</c>), the spaces it can be placed in (best first), and the audio model that embedded it or why none did.</summary>
    public sealed record AnalyseResult(string Upload, string FileName, string Container, string? Codec, double? DurationSeconds,
        DescriptorDetail Descriptors, SimilarView Similar, IReadOnlyList<string> Spaces, string? AudioModel, string? AudioUnavailable);

    private static async Task<Ok<AnalyseResult>> Analyse(HttpRequest request, LibraryCache library, UploadAnalyser uploads, UploadPlacement placement,
        SimilarService similar, WebOptions options, int? count, string? space, CancellationToken ct)
    {
        int n = count ?? 10;
        if (n is < 1 or > SimilarRequest.MaxCount) throw new UsageException($"count must be 1–{SimilarRequest.MaxCount}");
        if (!string.IsNullOrWhiteSpace(space)) library.Current.Space(space); // a space the catalog lacks is refused before the work
        var file = await UploadedFile(request, options.MaxUploadBytes, ct).ConfigureAwait(false);
        if (file.Length == 0) throw new UsageException("the file is empty");
        await using var content = file.OpenReadStream();
        var upload = await uploads.AnalyseAsync(content, file.FileName, ct).ConfigureAwait(false);
        var result = await similar.FindAsync(new SimilarRequest { Upload = upload.Id, Space = space, Count = n }, ct).ConfigureAwait(false);
        var view = library.Current;
        return TypedResults.Ok(new AnalyseResult(upload.Id, upload.FileName, upload.Media.Container, upload.Media.Codec,
            upload.Media.DurationSeconds, DescriptorDetail.Of(upload.Descriptors), SimilarView.Of(view, result),
            await placement.SpacesAsync(view, upload).ConfigureAwait(false), upload.Audio.ModelVersion, upload.Audio.Unavailable));
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
}
