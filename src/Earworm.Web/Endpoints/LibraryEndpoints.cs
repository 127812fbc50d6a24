using Earworm.App;
using Earworm.App.Library;
using Earworm.App.Maps;
using Earworm.App.Similar;
using Earworm.App.Status;
using Earworm.Web.Hosting;
using Earworm.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Earworm.Web.Endpoints;

/// <summary>The library: tracks, one track's descriptors, similar tracks, audio, the map, status and re-scan. Each
/// endpoint parses its request, calls the application layer and renders the answer (<see cref="Views"/>).</summary>
internal static class LibraryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/tracks", Tracks).WithName("ListTracks").WithTags("tracks")
            .WithSummary("Tracks, filtered by words of artist/title/album/genre (q), sorted, a page at a time");
        api.MapGet("/tracks/{id:long}", Track).WithName("GetTrack").WithTags("tracks").WithSummary("One track with all its descriptors");
        api.MapGet("/tracks/{id:long}/similar", Similar).WithName("SimilarTracks").WithTags("similar")
            .WithSummary("The nearest tracks in a space, the query and its duplicates left out, each with reasons");
        api.MapGet("/tracks/{id:long}/audio", Audio).WithName("StreamAudio").WithTags("audio")
            .WithSummary("The track's audio file, with HTTP range requests (seek). By catalog id only.");
        api.MapGet("/map", (MapService maps, string? space) => TypedResults.Ok(maps.Map(space))).WithName("LibraryMap").WithTags("map")
            .WithSummary("2-D coordinates of every track: the audio model's t-SNE (`earworm inspect model`) for the audio space when it maps the current model, else PCA of the space (default: the best)");
        api.MapGet("/status", (StatusService s) => TypedResults.Ok(s.Status())).WithName("Status").WithTags("status")
            .WithSummary("Counts, spaces, models, listening data, and a scan's progress");
        api.MapGet("/limits", () => TypedResults.Ok(Limits.Current)).WithName("Limits").WithTags("status")
            .WithSummary("The limits of every request (playlist length, keep-on, drunk, counts), the same in every front end");
        api.MapPost("/scan", Rescan).WithName("Rescan").WithTags("status").WithSummary("Re-scan the library's folders in the background");
        api.MapGet("/users", (LibraryCache library) => TypedResults.Ok(library.WithCatalog(c => c.ListUsers()))).WithName("Users").WithTags("recommend");
    }

    private static Ok<TrackPage> Tracks(LibraryCache library, string? q, string? sort, bool? desc, int? offset, int? limit)
    {
        var view = library.Current;
        var page = TrackListing.List(view, new TrackListRequest(q, sort, desc == true, offset ?? 0, limit ?? 200));
        return TypedResults.Ok(new TrackPage(page.Total, page.Offset, [.. page.Tracks.Select(t => TrackSummary.Of(t, view.Descriptors.GetValueOrDefault(t.Id)))]));
    }

    private static Ok<TrackDetail> Track(LibraryCache library, long id)
    {
        var view = library.Current;
        var t = view.Find(id) ?? throw new TrackNotFoundException(id);
        var d = view.Descriptors.GetValueOrDefault(id);
        return TypedResults.Ok(new TrackDetail(TrackSummary.Of(t, d), t.Container, t.Codec, t.SourceSampleRateHz, t.SourceChannels, t.BitRate,
            t.SizeBytes, t.AnalysedAt, d is null ? null : DescriptorDetail.Of(d), view.AvailableSpaces));
    }

    private static async Task<Ok<SimilarView>> Similar(LibraryCache library, ISimilarTracks similar, long id, string? space, int? count, CancellationToken ct)
    {
        if (library.Current.Find(id) is null) throw new TrackNotFoundException(id);
        var result = await similar.FindAsync(new SimilarRequest { Track = id.ToString(System.Globalization.CultureInfo.InvariantCulture), Space = space, Count = count ?? 10 }, ct)
            .ConfigureAwait(false);
        return TypedResults.Ok(SimilarView.Of(library.Current, result));
    }

    private static IResult Audio(LibraryCache library, long id)
    {
        var (path, refusal) = AudioAccess.Resolve(library.Current, id);
        if (path is null)
            return refusal is null
                ? Results.Problem(statusCode: 404, title: "Not Found", detail: $"no track {id} in the library")
                : Results.Problem(statusCode: 403, title: "Forbidden", detail: refusal);
        return Results.File(path, AudioAccess.ContentType(path), enableRangeProcessing: true, lastModified: File.GetLastWriteTimeUtc(path));
    }

    private static IResult Rescan(LibraryCache library, App.Scans.ScanService scans, IHostApplicationLifetime lifetime) =>
        scans.StartAgain(library.Current.Roots, lifetime.ApplicationStopping)
            ? Results.Accepted("/api/status", new { started = true })
            : Results.Problem(statusCode: 409, title: "Conflict", detail: "a scan is already running");
}
