namespace Earworm.Cluster;

/// <summary>
/// How a silo serves and how fast the cluster gives up on a member. The failure figures were measured with three silos
/// on loopback (docs/SCALE.md): <see cref="ProbeTimeout"/> 1 s and <see cref="MissedProbes"/> 2 declare a SIGKILLed silo
/// dead in about 0.7 s (5.2 s with Orleans' defaults of 5 s and 3) and a hung (SIGSTOPped) one in about 8.5 s (63 s with
/// the defaults). Until then a search asks a shard's other replica (<see cref="Replicas"/>, <see cref="HedgeDelay"/>), so
/// one dead or hung silo costs no coverage; only a shard all of whose holders are away is left out after
/// <see cref="ShardDeadline"/>.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>Shards a space is cut into (each a grain, placed on any silo; several a silo let both its cores search).</summary>
    public int Shards { get; init; } = 6;

    /// <summary>Silos each shard is held by (two replicas on distinct silos: <see cref="ShardLayout"/>), so that one dead
    /// or hung silo never leaves a shard unanswered; fewer when the cluster has fewer silos.</summary>
    public int Replicas { get; init; } = 2;

    /// <summary>How long a search waits for a shard's first replica before it asks the next as well (a hedged request:
    /// the first answer wins). A replica that fails is passed over at once.</summary>
    public TimeSpan HedgeDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a search waits for each shard (all its replicas) before it answers without it.</summary>
    public TimeSpan ShardDeadline { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Candidates an HNSW shard keeps while it searches (<see cref="Recommend.HnswOptions.EfSearch"/>, at least
    /// the k asked for): the shards' recall/CPU knob. Exact shards (under <see cref="Recommend.VectorIndex.HnswThreshold"/>
    /// tracks) do not use it.</summary>
    public int EfSearch { get; init; } = 64;

    /// <summary>How long a silo waits for a probe's answer (Orleans' ClusterMembershipOptions.ProbeTimeout; default 5 s).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Probes a silo may miss before its prober votes it dead (NumMissedProbesLimit; default 3).</summary>
    public int MissedProbes { get; init; } = 2;

    /// <summary>How long a grain call waits for its answer before it fails (SiloMessagingOptions.ResponseTimeout;
    /// default 30 s): what a request that needs one grain — a listener's session — may wait on a hung silo.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the update of a listener's session may take after their feedback is in the catalog (it runs
    /// after the answer: the catalog is the record, and the session catches up from it on its next activation).</summary>
    public TimeSpan SessionUpdateTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A pause before each shard load (default none): for drills and tests, it holds a moved shard away long
    /// enough to see searches answer without it, as they do while a silo's death is not yet declared.</summary>
    public TimeSpan ShardLoadDelay { get; init; } = TimeSpan.Zero;

    public string ClusterId { get; init; } = "earworm";
    public string ServiceId { get; init; } = "earworm";

    /// <exception cref="UsageException">a setting out of range.</exception>
    public ClusterSettings Validate()
    {
        if (Shards is < 1 or > 4096) throw new UsageException($"--shards {Shards}: give 1–4096");
        if (Replicas is < 1 or > 16) throw new UsageException($"--replicas {Replicas}: give 1–16");
        if (HedgeDelay <= TimeSpan.Zero || HedgeDelay > TimeSpan.FromMinutes(1)) throw new UsageException("the hedge delay must be between 1 ms and 60 s");
        if (ShardDeadline <= TimeSpan.Zero || ShardDeadline > TimeSpan.FromMinutes(1)) throw new UsageException("the shard deadline must be between 1 ms and 60 s");
        if (EfSearch is < 1 or > 10_000) throw new UsageException($"--ef-search {EfSearch}: give 1–10000");
        if (ProbeTimeout <= TimeSpan.Zero) throw new UsageException("the probe timeout must be positive");
        if (ShardLoadDelay < TimeSpan.Zero) throw new UsageException("the shard load delay cannot be negative");
        if (MissedProbes < 1) throw new UsageException("missed probes must be at least 1");
        if (ResponseTimeout <= TimeSpan.Zero) throw new UsageException("the response timeout must be positive");
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId)) throw new UsageException("a cluster needs a cluster id and a service id");
        return this;
    }
}
