using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Earworm.Cluster.Grains;

namespace Earworm.Cluster;

/// <summary>
/// The index shard replicas active on this silo, by key (<see cref="ShardKey"/>), so that this silo's coordinator searches
/// a shard it holds itself in place: no grain call, no message, no hop to another thread. Only a replica that has loaded
/// the generation a query names answers this way; one still loading (or reloading for a newer model, or hung) is asked
/// as a grain, which starts the load and keeps the hedge to the other replica and the deadline as they are.
/// </summary>
public sealed class LocalShards
{
    private readonly ConcurrentDictionary<string, IndexShardGrain> _active = new(StringComparer.Ordinal);

    internal void Add(string key, IndexShardGrain shard) => _active[key] = shard;

    internal void Remove(string key, IndexShardGrain shard) => _active.TryRemove(new KeyValuePair<string, IndexShardGrain>(key, shard));

    /// <summary>The answer of this silo's replica <paramref name="key"/>, when it is active here and holds the query's
    /// generation (or newer) of the query's dimension; false otherwise (ask the grain).</summary>
    public bool TryNearest(string key, ShardQuery query, [NotNullWhen(true)] out ShardAnswer? answer)
    {
        ArgumentNullException.ThrowIfNull(query);
        answer = null;
        return _active.TryGetValue(key, out var shard) && shard.TryAnswer(query, out answer);
    }
}
