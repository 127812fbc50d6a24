using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>
/// <c>similar</c> as the CLI answers it (<see cref="SimilarTracks"/>): the nearest tracks in a space, the query and its
/// duplicates (same content, same artist and title) left out, each with its reasons.
/// </summary>
public static class SimilarService
{
    public static SimilarResult ForTrack(LibrarySnapshot library, TrackRecord query, string? spaceName, int count)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(query);
        var space = library.Space(spaceName);
        var vector = space.Vector(query.Id) ?? throw new UsageException($"track {query.Id} has no vector in the {space.Name} space yet");
        var facts = library.Facts[query.Id];
        return new SimilarResult(query.Id, null, space.Name, Picks(library, space, vector, facts, facts.Descriptors, count, query.Id));
    }

    /// <summary>Tracks near a file outside the library, at its point of a space (<see cref="UploadPlacement"/>); a library
    /// copy of the file (same bytes, or same artist and title) is left out, as the query track would be.</summary>
    public static SimilarResult ForUpload(LibrarySnapshot library, AnalysedUpload upload, UploadPoint point, int count)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(point);
        return new SimilarResult(null, upload.Id, point.Space.Name,
            Picks(library, point.Space, point.Vector, upload.AsQuery(), upload.Descriptors, count, null));
    }

    /// <summary>The nearest tracks to <paramref name="vector"/> as picks (track summary, score, reasons).</summary>
    public static IReadOnlyList<Pick> Picks(LibrarySnapshot library, SpaceHandle space, ReadOnlySpan<float> vector,
        Earworm.Recommend.Playlists.TrackFacts? query, TrackDescriptors? queryDescriptors, int count, long? pulledInBy)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(space);
        return SimilarTracks.Find(space.Vectors, space.Index, library.Facts, vector, query, queryDescriptors, count)
            .Select(s => new Pick(TrackSummary.Of(library.Find(s.Track.Id)!, s.Track.Descriptors), s.Score, s.Reasons, pulledInBy))
            .ToList();
    }
}
