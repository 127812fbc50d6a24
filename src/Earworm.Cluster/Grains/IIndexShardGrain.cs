namespace Earworm.Cluster.Grains;

/// <summary>One replica of a partition of a space's vectors (the tracks with <c>ShardOf(track, shards) == shard</c>), keyed
/// <c>space/shards/shard@silo</c> (<see cref="ShardKey"/>) and living on that silo: searched exactly, or with HNSW from
/// <see cref="Recommend.VectorIndex.HnswThreshold"/> tracks a shard.</summary>
[Alias("Earworm.Cluster.IIndexShardGrain")]
public interface IIndexShardGrain : IGrainWithStringKey
{
    /// <summary>The shard's best for the query. A newer generation than the shard holds starts a reload in the
    /// background; the shard answers from the vectors it has meanwhile (when their dimension matches).</summary>
    [Alias("Nearest")]
    Task<ShardAnswer> NearestAsync(ShardQuery query);

    /// <summary>Loads the generation given (or newer) ahead of the searches that will ask for it; how many tracks it holds.</summary>
    [Alias("Warm")]
    Task<int> WarmAsync(long generation);
}

/// <summary>The key of an index shard grain: <c>space/shards/shard@silo</c>, the silo (its endpoint, host:port) the
/// replica lives on (<see cref="ShardPlacement"/> puts it there; <see cref="ShardLayout"/> says which silos hold a shard).</summary>
public static class ShardKey
{
    public static string Of(string space, int shard, int shards, string silo) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{space}/{shards}/{shard}@{silo}");

    public static (string Space, int Shard, int Shards, string Silo) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int at = key.LastIndexOf('@');
        var parts = (at < 0 ? key : key[..at]).Split('/');
        if (at <= 0 || at == key.Length - 1 || parts.Length != 3
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int shards)
            || !int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out int shard) || shards < 1 || shard < 0 || shard >= shards)
            throw new ArgumentException($"not an index shard key: '{key}'", nameof(key));
        return (parts[0], shard, shards, key[(at + 1)..]);
    }
}
