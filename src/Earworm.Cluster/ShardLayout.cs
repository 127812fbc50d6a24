namespace Earworm.Cluster;

/// <summary>
/// Which silos hold each shard: the one owner of the cluster's shard layout (the coordinator asks it where to send a
/// shard's part of a search, each silo's warmer which shards to load). A shard is held by <c>replicas</c> distinct silos,
/// chosen by rendezvous hashing (Thaler &amp; Ravishankar 1998, "Using name-based mappings to increase hit rates"): every
/// silo ranks the active silos by a hash of (shard, silo) and takes the first <c>replicas</c>. Every silo that sees the
/// same members computes the same layout without asking anyone; when a silo leaves, only the shards it held gain a new
/// holder (the others' ranks do not change), and a shard's surviving replica stays one of its holders; when it comes back
/// on the same endpoint, it gets the same shards again. Silos are named by their endpoint (host:port), which a silo keeps
/// across restarts. Pure and immutable.
/// </summary>
public sealed class ShardLayout
{
    private readonly string[][] _holders;

    /// <param name="silos">the endpoints of the active silos (any order; duplicates count once).</param>
    /// <param name="shards">shards of the space.</param>
    /// <param name="replicas">silos each shard is held by (at most the silos there are).</param>
    public ShardLayout(IEnumerable<string> silos, int shards, int replicas)
    {
        ArgumentNullException.ThrowIfNull(silos);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        Silos = [.. silos.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Shards = shards;
        Replicas = Math.Min(replicas, Silos.Count);
        var siloHashes = Silos.Select(Hash).ToArray();
        _holders = new string[shards][];
        for (int s = 0; s < shards; s++)
        {
            int shard = s;
            _holders[s] = [.. Enumerable.Range(0, Silos.Count)
                .OrderByDescending(i => ShardMath.Mix(siloHashes[i] ^ ShardMath.Mix((ulong)shard)))
                .ThenBy(i => Silos[i], StringComparer.Ordinal)
                .Take(Replicas).Select(i => Silos[i])];
        }
    }

    /// <summary>The active silos' endpoints, in ordinal order.</summary>
    public IReadOnlyList<string> Silos { get; }

    public int Shards { get; }

    /// <summary>Holders of each shard: the replicas asked for, or fewer when there are fewer silos.</summary>
    public int Replicas { get; }

    /// <summary>The silos that hold <paramref name="shard"/>, best-ranked first (empty when no silo is active).</summary>
    public IReadOnlyList<string> HoldersOf(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, Shards);
        return _holders[shard];
    }

    /// <summary>The shards <paramref name="silo"/> holds, in order.</summary>
    public IReadOnlyList<int> ShardsOf(string silo) =>
        [.. Enumerable.Range(0, Shards).Where(s => Array.IndexOf(_holders[s], silo) >= 0)];

    /// <summary>A stable 64-bit hash of a silo's name (FNV-1a over its characters, then mixed): the same in every process,
    /// unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong Hash(string silo)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in silo) h = unchecked((h ^ c) * 0x100000001B3UL);
        return ShardMath.Mix(h);
    }
}
