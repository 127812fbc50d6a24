using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>
/// <c>similar</c> as the CLI answers it: the nearest tracks in a space, the query and its duplicates (same content,
/// same artist and title) left out, each with its reasons (descriptors shared with the query, and the space).
/// </summary>
// Seam: when Earworm.Recommend gains `similar` over any space, Nearest() becomes a call to it.
public static class SimilarService
{
    public static SimilarResult ForTrack(LibrarySnapshot library, TrackRecord query, string? spaceName, int count)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(query);
        var space = library.Space(spaceName);
        var vector = space.Vector(query.Id) ?? throw new UsageException($"track {query.Id} has no vector in the {space.Name} space yet");
        var picks = Nearest(library, space, vector, library.Descriptors.GetValueOrDefault(query.Id), query, count, _ => false);
        return new SimilarResult(query.Id, null, space.Name, picks);
    }

    /// <summary>Tracks near a file outside the library, by its descriptors.</summary>
    public static SimilarResult ForUpload(LibrarySnapshot library, string uploadId, TrackDescriptors descriptors, int count)
    {
        ArgumentNullException.ThrowIfNull(library);
        var space = library.Space(DescriptorSpace.Name);
        var picks = Nearest(library, space, space.Place(descriptors)!, descriptors, null, count, _ => false);
        return new SimilarResult(null, uploadId, space.Name, picks);
    }

    /// <summary>The <paramref name="count"/> tracks nearest <paramref name="vector"/>, without <paramref name="query"/>'s duplicates
    /// and those <paramref name="exclude"/> rejects.</summary>
    public static IReadOnlyList<Pick> Nearest(LibrarySnapshot library, TrackSpace space, float[] vector, TrackDescriptors? queryDescriptors,
        TrackRecord? query, int count, Func<long, bool> exclude)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(exclude);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (query is not null && Identity(query) is { } qi) seen.Add(qi);
        bool Excluded(long id) =>
            exclude(id) || library.Find(id) is not { } t ||
            (query is not null && (id == query.Id || (t.ContentHash is not null && t.ContentHash == query.ContentHash)));
        var picks = new List<Pick>(count);
        foreach (var n in space.Index.Nearest(vector, count * 3 + 5, Excluded))
        {
            var t = library.Find(n.Key)!;
            if (Identity(t) is { } key && !seen.Add(key)) continue;
            var d = library.Descriptors.GetValueOrDefault(t.Id);
            picks.Add(new Pick(TrackSummary.Of(t, d), Math.Round(space.Similarity(n.Score), 4), Reasons(space, queryDescriptors, d), query?.Id));
            if (picks.Count == count) break;
        }
        return picks;
    }

    /// <summary>Why two tracks are close: their shared descriptors, or the space that found them.</summary>
    public static IReadOnlyList<string> Reasons(TrackSpace space, TrackDescriptors? a, TrackDescriptors? b)
    {
        var reasons = a is not null && b is not null ? DescriptorSimilarity.Reasons(a, b).ToList() : [];
        if (space.Name != DescriptorSpace.Name) reasons.Add($"close in the {space.Name} space");
        else if (reasons.Count == 0) reasons.Add("overall closest (timbre and the rest)");
        return reasons;
    }

    private static string? Identity(TrackRecord t) =>
        t.Artist is null || t.Title is null ? null : $"{t.Artist.Trim().ToUpperInvariant()}\u0001{t.Title.Trim().ToUpperInvariant()}";
}
