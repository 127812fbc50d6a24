using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Earworm.Cluster.Grains;
using Microsoft.Extensions.Logging;

namespace Earworm.Cluster;

/// <summary>
/// The index shard replicas this silo holds, by key (<see cref="ShardKey"/>): made on first use (a search or the warmer
/// asking for one whose key names this silo), searched by this silo's coordinator in place (no message, no hop to
/// another thread) and by the other silos' through <see cref="ShardService"/>. A replica the layout stopped giving this
/// silo (a silo came back and took its shards again, or the first silo held every shard while it was alone) is dropped
/// half a minute later, freeing its memory; until then this silo's coordinator still answers from it, since the shard's
/// holders in the new layout may be loading, or hung.
/// </summary>
public sealed partial class LocalShards(SiloLibrary library, ClusterSettings settings, ILocalSiloDetails silo, ILogger<LocalShards> log)
{
    /// <summary>How long a replica the layout no longer gives this silo stays before it is dropped.</summary>
    public static readonly TimeSpan Retire = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lazy<ShardReplica>> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _outOfLayoutSince = new(StringComparer.Ordinal);
    private readonly string _self = SiloLayout.NameOf(silo.SiloAddress);

    /// <summary>The keys of the replicas held now.</summary>
    public IReadOnlyCollection<string> Keys => [.. _held.Keys];

    /// <summary>Replica <paramref name="key"/>, made (not loaded yet) when this silo does not hold it.</summary>
    /// <exception cref="ArgumentException">a key that is not an index shard's, or names another silo.</exception>
    public ShardReplica Replica(string key)
    {
        if (_held.TryGetValue(key, out var held)) return held.Value;
        var (_, _, _, owner) = ShardKey.Parse(key);
        if (owner != _self) throw new ArgumentException($"index shard {key} is not this silo's ({_self})", nameof(key));
        return _held.GetOrAdd(key, k => new Lazy<ShardReplica>(() => new ShardReplica(k, library, settings, silo.SiloAddress.ToString(), log))).Value;
    }

    /// <summary>The answer of this silo's replica <paramref name="key"/>, when it holds it and it has loaded the query's
    /// generation (or newer) of the query's dimension; false otherwise (<see cref="ShardReplica.NearestAsync"/> loads).</summary>
    public bool TryNearest(string key, ShardQuery query, [NotNullWhen(true)] out ShardAnswer? answer)
    {
        ArgumentNullException.ThrowIfNull(query);
        answer = null;
        return _held.TryGetValue(key, out var held) && held.IsValueCreated && held.Value.TryAnswer(query, out answer);
    }

    /// <summary>Whether <see cref="TryNearest"/> would answer the query from replica <paramref name="key"/> now.</summary>
    public bool CanAnswer(string key, ShardQuery query) =>
        _held.TryGetValue(key, out var held) && held.IsValueCreated && held.Value.CanAnswer(query);

    /// <summary>Drops the replicas <paramref name="layout"/> has not given this silo for <see cref="Retire"/> (called by
    /// the warmer once a second).</summary>
    internal void RetireMoved(ShardLayout layout)
    {
        long now = Environment.TickCount64;
        foreach (var key in _held.Keys)
        {
            var (space, shard, shards, _) = ShardKey.Parse(key);
            bool held = layout.Shards != shards || layout.Silos.Count == 0 || layout.HoldersOf(shard).Contains(_self);
            if (held) _outOfLayoutSince.TryRemove(key, out _);
            else if (now - _outOfLayoutSince.GetOrAdd(key, now) >= Retire.TotalMilliseconds)
            {
                _held.TryRemove(key, out _);
                _outOfLayoutSince.TryRemove(key, out _);
                LogRetired(log, space, shard, shards);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "shard {Space} {Shard}/{Shards}: this silo no longer holds it; the replica leaves")]
    private static partial void LogRetired(ILogger logger, string space, int shard, int shards);
}
