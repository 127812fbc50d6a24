using Earworm.Recommend;

namespace Earworm.Cluster;

/// <summary>The merged answer of a cluster's shards as an <see cref="IVectorIndex"/>: its candidates in their order, so
/// <see cref="SimilarTracks.Find"/> leaves out duplicates and writes reasons exactly as for the local index.</summary>
internal sealed class RankedCandidates(IReadOnlyList<Neighbour> ranked, Metric metric, int dimension) : IVectorIndex
{
    public Metric Metric { get; } = metric;
    public int Dimension { get; } = dimension;
    public int Count => ranked.Count;

    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, Func<long, bool>? exclude = null)
    {
        var list = new List<Neighbour>(Math.Min(k, ranked.Count));
        foreach (var n in ranked)
        {
            if (list.Count == k) break;
            if (exclude is null || !exclude(n.Key)) list.Add(n);
        }
        return list;
    }
}
