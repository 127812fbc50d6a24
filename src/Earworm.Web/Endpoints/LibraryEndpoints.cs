using Earworm.Catalog;
using Earworm.Recommend.Projection;
using Earworm.Recommend.Spaces;
using Earworm.Web.Library;
using Earworm.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Earworm.Web.Endpoints;

/// <summary>The library: tracks, one track's descriptors, similar tracks, audio, the map, status and re-scan.</summary>
internal static class LibraryEndpoints
{
    private static readonly string[] Sorts = ["artist", "title", "album", "genre", "year", "duration", "tempo", "key", "energy", "danceability", "loudness"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/tracks", Tracks).WithName("ListTracks").WithTags("tracks")
            .WithSummary("Tracks, filtered by words of artist/title/album/genre (q), sorted, a page at a time");
        api.MapGet("/tracks/{id:long}", Track).WithName("GetTrack").WithTags("tracks").WithSummary("One track with all its descriptors");
        api.MapGet("/tracks/{id:long}/similar", Similar).WithName("SimilarTracks").WithTags("similar")
            .WithSummary("The nearest tracks in a space, the query and its duplicates left out, each with reasons");
        api.MapGet("/tracks/{id:long}/audio", Audio).WithName("StreamAudio").WithTags("audio")
            .WithSummary("The track's audio file, with HTTP range requests (seek). By catalog id only.");
        api.MapGet("/map", LibraryMap).WithName("LibraryMap").WithTags("map").WithSummary("2-D coordinates of every track: the audio model's t-SNE (`earworm inspect model`) for the audio space when it maps the current model, else PCA of the space (default: the best)");
        api.MapGet("/status", (StatusService s) => TypedResults.Ok(s.Status())).WithName("Status").WithTags("status")
            .WithSummary("Counts, spaces, models, listening data, and a scan's progress");
        api.MapPost("/scan", (ScanRunner r) => r.Start()
                ? Results.Accepted("/api/status", new { started = true })
                : Results.Problem(statusCode: 409, title: "Conflict", detail: "a scan is already running"))
            .WithName("Rescan").WithTags("status").WithSummary("Re-scan the library's folders in the background");
        api.MapGet("/users", (LibraryState s) => TypedResults.Ok(s.WithCatalog(c => c.ListUsers()))).WithName("Users").WithTags("recommend");
    }

    private static Ok<TrackPage> Tracks(LibraryState state, string? q, string? sort, bool? desc, int? offset, int? limit)
    {
        var library = state.Current;
        int skip = offset ?? 0, take = limit ?? 200;
        if (skip < 0) throw new UsageException("offset must not be negative");
        if (take is < 1 or > 20_000) throw new UsageException("limit must be 1–20000");
        if (sort is not null && !Sorts.Contains(sort)) throw new UsageException($"sort must be one of {string.Join(", ", Sorts)}");
        var rows = library.Search(q).Select(t => TrackSummary.Of(t, library.Descriptors.GetValueOrDefault(t.Id))).ToList();
        if (sort is not null)
        {
            Func<TrackSummary, object?> key = sort switch
            {
                "title" => t => t.Title, "album" => t => t.Album, "genre" => t => t.Genre, "year" => t => t.Year,
                "duration" => t => t.DurationSeconds, "tempo" => t => t.TempoBpm, "key" => t => t.Camelot, "energy" => t => t.Energy,
                "danceability" => t => t.Danceability, "loudness" => t => t.LoudnessLufs, _ => t => t.Artist,
            };
            rows = (desc == true ? rows.OrderByDescending(key, Comparer<object?>.Default) : rows.OrderBy(key, Comparer<object?>.Default)).ToList();
        }
        return TypedResults.Ok(new TrackPage(rows.Count, skip, rows.Skip(skip).Take(take).ToList()));
    }

    private static Ok<TrackDetail> Track(LibraryState state, long id)
    {
        var library = state.Current;
        var t = library.Find(id) ?? throw new TrackNotFoundException(id);
        var d = library.Descriptors.GetValueOrDefault(id);
        return TypedResults.Ok(new TrackDetail(TrackSummary.Of(t, d), t.Container, t.Codec, t.SourceSampleRateHz, t.SourceChannels, t.BitRate,
            t.SizeBytes, t.AnalysedAt, d is null ? null : DescriptorDetail.Of(d), library.AvailableSpaces));
    }

    private static Ok<SimilarResult> Similar(LibraryState state, long id, string? space, int? count)
    {
        var library = state.Current;
        int n = count ?? 10;
        if (n is < 1 or > 1000) throw new UsageException("count must be 1–1000");
        var t = library.Find(id) ?? throw new TrackNotFoundException(id);
        return TypedResults.Ok(SimilarService.ForTrack(library, t, space, n));
    }

    private static IResult Audio(LibraryState state, long id)
    {
        var (path, refusal) = AudioAccess.Resolve(state.Current, id);
        if (path is null)
            return refusal is null
                ? Results.Problem(statusCode: 404, title: "Not Found", detail: $"no track {id} in the library")
                : Results.Problem(statusCode: 403, title: "Forbidden", detail: refusal);
        return Results.File(path, AudioAccess.ContentType(path), enableRangeProcessing: true,
            lastModified: File.GetLastWriteTimeUtc(path));
    }

    private static Ok<LibraryMap> LibraryMap(LibraryState state, string? space) =>
        TypedResults.Ok(MapCache.Get(state.Current, space, LibraryMapFile.DefaultPath(CatalogStore.ModelFolderFor(state.CatalogPath), SpaceService.Audio)));
}

/// <summary>One map per snapshot and space: a projection is computed once, then served from memory; the audio space's
/// t-SNE file is read again when it changes (`inspect model` writes it without touching the catalog).</summary>
internal static class MapCache
{
    public static LibraryMap Get(LibrarySnapshot library, string? spaceName, string audioMapFile)
    {
        var space = library.Space(spaceName);
        if (space.Name != SpaceService.Audio) return library.Memo("map:" + space.Name, () => MapService.Project(library, space));
        var file = new FileInfo(audioMapFile);
        var stamp = file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "none";
        return library.Memo($"map:{space.Name}:{stamp}", () => MapService.ForAudio(library, space, audioMapFile));
    }
}
