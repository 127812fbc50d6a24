using Orleans.Services;

namespace Earworm.Cluster.Grains;

/// <summary>A silo's index shard replicas, asked by silo: one <see cref="ShardService"/> a silo, a system target that a
/// call reaches by the silo's address alone, never through the grain directory (<see cref="ShardReplica"/> says why).</summary>
[Alias("Earworm.Cluster.IShardService")]
public interface IShardService : IGrainService
{
    /// <summary>The best of replica <paramref name="key"/> (<see cref="ShardKey"/>; it must name this silo) for the query.
    /// A newer generation than the replica holds starts a reload in the background; the replica answers from the vectors
    /// it has meanwhile (when their dimension matches).</summary>
    [Alias("Nearest")]
    Task<ShardAnswer> NearestAsync(string key, ShardQuery query);

    /// <summary>Loads the generation given (or newer) ahead of the searches that will ask for it; how many tracks it holds.</summary>
    [Alias("Warm")]
    Task<int> WarmAsync(string key, long generation);
}

/// <summary>The key of an index shard replica: <c>space/shards/shard@silo</c>, the silo (its endpoint, host:port) that
/// holds it (<see cref="ShardLayout"/> says which silos hold a shard).</summary>
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
