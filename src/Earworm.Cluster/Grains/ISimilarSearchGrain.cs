namespace Earworm.Cluster.Grains;

/// <summary>The coordinator of similar-tracks searches: a stateless worker (one or more activations on every silo,
/// always the caller's own) that asks every shard of the space at once, waits for each no longer than the query's
/// deadline, and merges what came back.</summary>
[Alias("Earworm.Cluster.ISimilarSearchGrain")]
public interface ISimilarSearchGrain : IGrainWithIntegerKey
{
    /// <summary>Never waits longer than the deadline (plus the merge): shards that are late, or whose silo is dead or
    /// hung, are left out, and the answer's coverage says how many answered.</summary>
    [Alias("Nearest")]
    Task<SearchAnswer> NearestAsync(SearchQuery query);
}
