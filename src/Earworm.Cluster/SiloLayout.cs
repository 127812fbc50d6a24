using System.Collections.Concurrent;

namespace Earworm.Cluster;

/// <summary>
/// The shard layout as this silo sees the cluster: a <see cref="ShardLayout"/> of the silos its membership view counts as
/// active (made again when the view changes), this silo's name in it, and which silos were late lately — a coordinator
/// that had to ask another replica because one silo was slow or failed asks the others first for a while, so a hung
/// silo, until the cluster declares it dead, costs the first few searches the hedge delay and no more.
/// </summary>
public sealed class SiloLayout(IClusterMembershipService membership, ILocalSiloDetails local, ClusterSettings settings)
{
    /// <summary>How long a silo that was late stays behind the others in the order replicas are asked in.</summary>
    public static readonly TimeSpan Suspicion = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, long> _late = new(StringComparer.Ordinal);
    private (MembershipVersion Version, ShardLayout Layout)? _cached;

    /// <summary>A silo's name in the layout: its endpoint (host:port), which it keeps when it restarts.</summary>
    public static string NameOf(SiloAddress silo) => (silo ?? throw new ArgumentNullException(nameof(silo))).Endpoint.ToString();

    /// <summary>This silo's name.</summary>
    public string Self => NameOf(local.SiloAddress);

    /// <summary>The layout of the silos active in this silo's view of the membership.</summary>
    public ShardLayout Current
    {
        get
        {
            var snapshot = membership.CurrentSnapshot;
            var cached = _cached;
            if (cached is { } c && c.Version == snapshot.Version) return c.Layout;
            var layout = new ShardLayout(snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => NameOf(m.SiloAddress)),
                settings.Shards, settings.Replicas);
            _cached = (snapshot.Version, layout);
            return layout;
        }
    }

    /// <summary>The address of the active silo named <paramref name="name"/> in this silo's view (its latest start, when it
    /// restarted on the same endpoint); null when none is active.</summary>
    public SiloAddress? AddressOf(string name) =>
        membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active && NameOf(m.SiloAddress) == name)
            .Select(m => m.SiloAddress).MaxBy(a => a.Generation);

    /// <summary>The version of the membership view the layout is made from (it moves when a silo joins or dies).</summary>
    public MembershipVersion Version => membership.CurrentSnapshot.Version;

    /// <summary>Notes that <paramref name="silo"/> missed the hedge delay or failed.</summary>
    public void Late(string silo) => _late[silo] = Environment.TickCount64;

    /// <summary>Whether <paramref name="silo"/> was late within <see cref="Suspicion"/>.</summary>
    public bool IsSuspect(string silo) => _late.TryGetValue(silo, out long at) && Environment.TickCount64 - at < Suspicion.TotalMilliseconds;

    /// <summary>The order a search asks <paramref name="shard"/>'s holders in: silos not late lately first, this silo
    /// first among equals (no hop), the rest turned by <paramref name="turn"/> so the replicas share the searches.</summary>
    public IReadOnlyList<string> AskOrder(ShardLayout layout, int shard, int turn)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var holders = layout.HoldersOf(shard);
        if (holders.Count <= 1) return holders;
        string self = Self;
        int n = holders.Count, start = (int)((uint)turn % (uint)n);
        return [.. Enumerable.Range(0, n).Select(i => holders[(start + i) % n])
            .OrderBy(h => IsSuspect(h) ? 1 : 0).ThenBy(h => h == self ? 0 : 1)];
    }
}
