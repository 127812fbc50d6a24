using System.Globalization;
using Earworm.Audio.Descriptors;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.Recommend;

/// <summary>A similar track: how close (the cosine in a cosine space; 1/(1+distance) in a Euclidean one, with the
/// distance), and why.</summary>
public sealed record SimilarTrack(TrackFacts Track, double Score, double? Distance, IReadOnlyList<string> Reasons);

/// <summary>
/// Tracks nearest to a query in a space, the query and its duplicates left out — the same content (hash) or the same
/// artist and title, and among the results only the first of each such group — each with its reasons: which
/// descriptors are close (tempo, Camelot key compatibility, energy, brightness…) and the space it was found in.
/// </summary>
public static class SimilarTracks
{
    public static IReadOnlyList<SimilarTrack> Find(VectorSpace space, IVectorIndex index, IReadOnlyDictionary<long, TrackFacts> facts,
        ReadOnlySpan<float> query, TrackFacts? queryTrack, TrackDescriptors? queryDescriptors, int count, bool reasons = true)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long? queryId = queryTrack?.Id;
        string? queryHash = queryTrack?.ContentHash, queryIdentity = queryTrack?.Identity;
        var results = new List<SimilarTrack>(count);
        for (int ask = count * 2 + 8; ; ask *= 4)
        {
            results.Clear();
            // The query, its duplicates and tracks without facts are left out of the nearest rows, not inside the
            // index's scan (where every row that would enter the top k, hundreds a query, paid for the test); they are
            // a handful, and when more are left out the next round asks for four times as many.
            var seenHashes = new HashSet<string>(Math.Min(ask, index.Count) + 1, StringComparer.Ordinal);
            var seenIdentities = new HashSet<string>(Math.Min(ask, index.Count) + 1, StringComparer.Ordinal);
            if (queryHash is not null) seenHashes.Add(queryHash);
            if (queryIdentity is not null) seenIdentities.Add(queryIdentity);
            var found = index.Nearest(query, Math.Min(ask, index.Count));
            foreach (var n in found)
            {
                if (n.Key == queryId || !facts.TryGetValue(n.Key, out var t)) continue;
                bool duplicate = (t.ContentHash is { } h && !seenHashes.Add(h)) | (t.Identity is { } i && !seenIdentities.Add(i));
                if (duplicate) continue;
                results.Add(reasons ? Describe(space, t, n.Score, queryDescriptors) : Scored(space, t, n.Score));
                if (results.Count == count) return results;
            }
            if (found.Count < ask || ask >= index.Count) return results;
        }
    }

    /// <summary>A result without reasons: front ends that show none (the OpenSubsonic Instant Mix) skip their cost,
    /// most of a query's when it asks for dozens of tracks.</summary>
    private static SimilarTrack Scored(VectorSpace space, TrackFacts t, float score) =>
        new(t, Math.Round(SimilarityScale.Displayed(space.Metric, score), 4), space.Metric == Metric.Euclidean ? Math.Round(-score, 4) : null, []);

    private static SimilarTrack Describe(VectorSpace space, TrackFacts t, float score, TrackDescriptors? query)
    {
        var reasons = new List<string>();
        if (query is not null && t.Descriptors is { } d) reasons.AddRange(DescriptorSimilarity.Reasons(query, d));
        var scored = Scored(space, t, score);
        reasons.Add(space.Name == DescriptorSpace.Name
            ? (reasons.Count == 0 ? "overall closest in the descriptors (timbre and the rest)" : "close in the descriptors space")
            : string.Create(CultureInfo.InvariantCulture, $"close in the {space.Name} space (cosine {score:0.000})"));
        return scored with { Reasons = reasons };
    }
}
