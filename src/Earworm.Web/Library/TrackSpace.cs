using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend;

namespace Earworm.Web.Library;

/// <summary>
/// One space over the library's tracks, ready to search: its vectors by track and an <see cref="ExactIndex"/>.
/// <c>descriptors</c> is built from the snapshot (z-scored, weighted, Euclidean, as <see cref="DescriptorSimilarity"/>);
/// every other space (audio, cf, track2vec) comes from the catalog's stored vectors (cosine).
/// </summary>
public sealed class TrackSpace
{
    private readonly Dictionary<long, float[]> _vectors;

    private TrackSpace(string name, IReadOnlyList<(long Key, float[] Vector)> rows, Metric metric, DescriptorScaler? scaler)
    {
        Name = name;
        _vectors = rows.ToDictionary(r => r.Key, r => r.Vector);
        Index = new ExactIndex(rows, metric);
        Scaler = scaler;
    }

    public string Name { get; }
    public ExactIndex Index { get; }
    public int Dimension => Index.Dimension;
    public int Count => Index.Count;

    /// <summary>The descriptors space's scaler, to place a file outside the library; null for the others.</summary>
    public DescriptorScaler? Scaler { get; }

    public IEnumerable<long> Keys => _vectors.Keys;

    public float[]? Vector(long trackId) => _vectors.GetValueOrDefault(trackId);

    /// <summary>A file's descriptors placed in this space (only the descriptors space can).</summary>
    public float[]? Place(TrackDescriptors descriptors) =>
        Scaler is null ? null : Array.ConvertAll(Scaler.Weighted(DescriptorSpace.Vector(descriptors)), x => (float)x);

    /// <summary>The descriptors space of a snapshot; null when no track has descriptors.</summary>
    public static TrackSpace? FromDescriptors(IReadOnlyDictionary<long, TrackDescriptors> descriptors)
    {
        if (descriptors.Count == 0) return null;
        var raw = descriptors.OrderBy(kv => kv.Key).Select(kv => (kv.Key, Raw: DescriptorSpace.Vector(kv.Value))).ToList();
        var scaler = DescriptorSpace.Standardise(raw.Select(r => r.Raw).ToList());
        return new TrackSpace(DescriptorSpace.Name, raw.Select(r => (r.Key, Array.ConvertAll(scaler.Weighted(r.Raw), x => (float)x))).ToList(),
            Metric.Euclidean, scaler);
    }

    /// <summary>A stored space's vectors for the library's tracks (those in <paramref name="playable"/>); null when it has none.</summary>
    public static TrackSpace? FromCatalog(CatalogStore catalog, string space, Func<long, bool> playable)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var v = catalog.LoadTrackVectors(space);
        var rows = new List<(long, float[])>(v.Count);
        for (int i = 0; i < v.Count; i++)
            if (playable(v.Ids[i])) rows.Add((v.Ids[i], v.Row(i).ToArray()));
        return rows.Count == 0 ? null : new TrackSpace(space, rows, Metric.Cosine, null);
    }

    /// <summary>A similarity in 0..1 from an index score: cosine as is (clamped), Euclidean as 1/(1+d).</summary>
    public float Similarity(float score) => Index.Metric == Metric.Cosine ? Math.Clamp(score, 0, 1) : 1 / (1 - score);
}
