using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Earworm.Recommend.Spaces;

namespace Earworm.Recommend;

/// <summary>Which index a space is searched with.</summary>
public enum IndexKind
{
    /// <summary>Exact below <see cref="VectorIndex.HnswThreshold"/> tracks, HNSW from there.</summary>
    Auto,
    Exact,
    Hnsw,
}

/// <summary>Chooses and builds the index for a space: exact SIMD search by default, HNSW for catalogs of
/// <see cref="HnswThreshold"/> tracks or more, saved beside the catalog and reloaded while the space is unchanged.</summary>
public static class VectorIndex
{
    /// <summary>From this many tracks on, <see cref="IndexKind.Auto"/> builds an HNSW index.</summary>
    public const int HnswThreshold = 100_000;

    /// <param name="cacheFolder">Where HNSW indexes are saved and reloaded (e.g. the catalog's model folder); null to build each time.</param>
    public static IVectorIndex For(VectorSpace space, IndexKind kind = IndexKind.Auto, HnswOptions? options = null, string? cacheFolder = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        bool hnsw = kind == IndexKind.Hnsw || (kind == IndexKind.Auto && space.Count >= HnswThreshold);
        if (!hnsw) return new ExactIndex(space);
        options ??= new HnswOptions();
        if (cacheFolder is null) return new HnswIndex(space.Rows(), space.Metric, options);
        var fingerprint = Fingerprint(space, options);
        var path = Path.Combine(cacheFolder, $"hnsw-{space.Name}.bin");
        if (HnswFile.TryLoad(path, fingerprint) is { } loaded) return loaded;
        var built = new HnswIndex(space.Rows(), space.Metric, options);
        HnswFile.Save(built, path, fingerprint);
        return built;
    }

    /// <summary>SHA-256 of the ids, vectors, metric and build options: an index file is reused only for the same.</summary>
    public static string Fingerprint(VectorSpace space, HnswOptions options)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(space.Ids.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(space.Data.AsSpan()));
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{space.Metric}|{space.Dimension}|{options.M}|{options.EfConstruction}|{options.EfSearch}|{options.Seed}"));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
