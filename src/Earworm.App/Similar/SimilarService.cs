using Earworm.App.Library;
using Earworm.App.Uploads;
using Earworm.Audio.Descriptors;
using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Similar;

/// <summary><c>similar</c> as a front end asks for it: what to start from (a track or file as a person names it, a
/// catalog id, or an analysed upload), the space (null: the best the library has) and how many.</summary>
public sealed record SimilarRequest
{
    /// <summary>A catalog id, path, words of "artist – title", or an audio file outside the library.</summary>
    public string? Track { get; init; }

    /// <summary>An analysed upload (<see cref="UploadAnalyser"/>).</summary>
    public string? Upload { get; init; }

    public string? Space { get; init; }

    public int Count { get; init; } = 10;

    public IndexKind Index { get; init; } = IndexKind.Auto;

    /// <summary>False: the tracks and scores only, for front ends that show no reasons (each costs its formatting).</summary>
    public bool Reasons { get; init; } = true;

    public const int MaxCount = 1000;
}

/// <summary>What the tracks are near: a library track, a file outside it, or an upload, with its descriptors.</summary>
public sealed record SimilarQuery(TrackFacts? Track, string? File, string? Upload, TrackDescriptors? Descriptors, bool MeasuredNow)
{
    /// <summary>"Artist – Title", or the file's name.</summary>
    public string Label => Track?.DisplayName ?? System.IO.Path.GetFileName(File ?? Upload ?? "");
}

/// <summary>The tracks nearest to a query in a space, with the space they were found in.</summary>
public sealed record SimilarResult(SimilarQuery Query, string Space, string SpaceDescription, IReadOnlyList<SimilarTrack> Results)
{
    /// <summary>The share of the space searched: 1 in one process; in a cluster, the shards that answered within their
    /// deadline over all shards (below 1 while a silo is dead or late: the results are the best of what answered).</summary>
    public double Coverage { get; init; } = 1;
}

/// <summary>Similar tracks as every front end asks for them: <see cref="SimilarService"/> searches the process's own
/// index; a cluster (<c>Earworm.Cluster</c>) fans the search out to its index shards. Front ends hold this interface
/// (<see cref="EarwormServices.Similar"/>), so the same endpoints serve from one process or from a cluster.</summary>
public interface ISimilarTracks
{
    /// <exception cref="UsageException">a bad count, an unknown or empty space, or a query without a point in it.</exception>
    /// <exception cref="TrackNotFoundException">the query names no track and no file.</exception>
    Task<SimilarResult> FindAsync(SimilarRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// Similar tracks for every front end (<see cref="SimilarTracks"/>: the nearest in a space, the query and its duplicates
/// left out, each with its score — <see cref="SimilarityScale"/> — and reasons). A library track is searched from its
/// stored vector; a file outside the library (or changed since its scan) is described now and placed in the space.
/// </summary>
public sealed class SimilarService(LibraryCache library, IAudioFileEmbedder? embedder = null, UploadAnalyser? uploads = null,
    UploadPlacement? placement = null) : ISimilarTracks
{
    /// <exception cref="UsageException">a bad count, an unknown or empty space, or a query without a point in it.</exception>
    /// <exception cref="TrackNotFoundException">the query names no track and no file.</exception>
    public async Task<SimilarResult> FindAsync(SimilarRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count is < 1 or > SimilarRequest.MaxCount) throw new UsageException($"count must be 1–{SimilarRequest.MaxCount}");
        var view = library.Current;
        var (query, space, vector) = request.Upload is { Length: > 0 } upload
            ? await UploadQueryAsync(view, upload, request.Space).ConfigureAwait(false)
            : await TrackQueryAsync(view, request, cancellationToken).ConfigureAwait(false);
        var results = SimilarTracks.Find(space.Vectors, space.Index, view.Facts, vector, query.Track, query.Descriptors, request.Count, request.Reasons);
        return new SimilarResult(query, space.Name, space.Vectors.Description, results);
    }

    private async Task<(SimilarQuery, LibrarySpace, float[])> TrackQueryAsync(LibraryView view, SimilarRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Track)) throw new UsageException("say which track or file to start from");
        var space = view.Space(request.Space, request.Index);
        // a library track by id needs no catalog (the web app's every request); anything else is resolved and described
        var target = view.ById(request.Track) is { Descriptors: { } descriptors } known
            ? new DescribedTarget(view.Find(known.Id), known.Path, descriptors, false)
            : await library.WithCatalogAsync(c => TargetDescriber.DescribeAsync(c, request.Track, ct)).ConfigureAwait(false);
        var facts = target.Track is { } t ? view.Facts.GetValueOrDefault(t.Id) : null;
        // a catalog track not in the library (missing, failed, pending) is searched from as a file only while its file is there
        if (target.Track is { } named && facts is null && !File.Exists(target.Path)) throw TrackResolver.NotAnalysed(named);
        var query = new SimilarQuery(facts, facts is null ? target.Path : null, null, target.Descriptors, target.MeasuredNow);
        if (facts is not null && !target.MeasuredNow)
        {
            if (space.Vector(facts.Id) is { } stored) return (query, space, stored);
            if (space.Name != DescriptorSpace.Name)
                throw new UsageException($"{facts.DisplayName} (track {facts.Id}) has no vector in the {space.Name} space" +
                                         (space.Name == HybridSpace.Name ? " (the hybrid holds only the tracks present in every space)" : ""));
        }
        var vector = await library.WithCatalogAsync(c => new SpaceService(c).FileVectorAsync(space.Name, target.Path, target.Descriptors, embedder, ct))
            .ConfigureAwait(false);
        return (query, space, vector);
    }

    private async Task<(SimilarQuery, LibrarySpace, float[])> UploadQueryAsync(LibraryView view, string id, string? spaceName)
    {
        var upload = uploads?.Find(id) ?? throw new UsageException($"no analysed upload {id} (uploads are kept while the server runs; send the file again)");
        var point = await (placement ?? new UploadPlacement(library)).PlaceAsync(view, upload, spaceName).ConfigureAwait(false);
        return (new SimilarQuery(upload.AsQuery(), null, upload.Id, upload.Descriptors, true), point.Space, point.Vector);
    }
}
