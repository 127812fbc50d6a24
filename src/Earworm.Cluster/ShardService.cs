using Earworm.Cluster.Grains;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Services;

namespace Earworm.Cluster;

/// <summary>This silo's index shard replicas (<see cref="LocalShards"/>) as the other silos' coordinators ask them: a
/// grain service, so a call names the silo's address and goes straight there — no grain directory to ask first, and so
/// no directory partition on a hung silo to wait for (<see cref="ShardReplica"/>).</summary>
[Reentrant]
public sealed class ShardService(GrainId id, Silo silo, ILoggerFactory loggers, LocalShards local) : GrainService(id, silo, loggers), IShardService
{
    public Task<ShardAnswer> NearestAsync(string key, ShardQuery query) => local.Replica(key).NearestAsync(query);

    public Task<int> WarmAsync(string key, long generation) => local.Replica(key).WarmAsync(generation);
}

/// <summary>Asks a silo's <see cref="ShardService"/> by the silo's address.</summary>
public sealed class ShardServiceClient(IServiceProvider services) : GrainServiceClient<IShardService>(services)
{
    /// <summary>The best of replica <paramref name="key"/> on <paramref name="silo"/> for the query.</summary>
    public Task<ShardAnswer> NearestAsync(SiloAddress silo, string key, ShardQuery query) => GetGrainService(silo).NearestAsync(key, query);

    /// <summary>Loads replica <paramref name="key"/> on <paramref name="silo"/> at the generation given (or newer).</summary>
    public Task<int> WarmAsync(SiloAddress silo, string key, long generation) => GetGrainService(silo).WarmAsync(key, generation);
}
