using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Earworm.Cluster;

/// <summary>
/// Says on the silo's log, in a line each, when another silo joins the cluster, leaves it (shut down) or is declared
/// dead (it stopped answering the others' probes: killed, hung or cut off): what an operator watching one silo needs
/// to know, where Orleans' own log says it as failed probes and connection errors, and its verdict only in the
/// informational log. A death is a warning, so the silo's default log (warnings and worse) shows it; joins and orderly
/// leaves are information (<c>--verbose</c>).
/// </summary>
internal sealed partial class MembershipLog(IClusterMembershipService membership, ILocalSiloDetails local, ILogger<MembershipLog> log)
    : BackgroundService
{
    internal enum Change { Joined, Left, Dead }

    /// <summary>What changed from <paramref name="before"/> (the silos active in the last view; null before the first)
    /// to <paramref name="now"/>, this silo left out: the silos active now and not before, and those active before and
    /// not now, dead or gone by their status now. The first view changes nothing.</summary>
    internal static IReadOnlyList<(SiloAddress Silo, Change Change)> Changes(IReadOnlySet<SiloAddress>? before, ClusterMembershipSnapshot now,
        SiloAddress self)
    {
        ArgumentNullException.ThrowIfNull(now);
        if (before is null) return [];
        var active = Active(now);
        var changes = new List<(SiloAddress, Change)>();
        foreach (var silo in active.Where(s => !before.Contains(s) && !s.Equals(self)).OrderBy(s => s.ToString(), StringComparer.Ordinal))
            changes.Add((silo, Change.Joined));
        foreach (var silo in before.Where(s => !active.Contains(s) && !s.Equals(self)).OrderBy(s => s.ToString(), StringComparer.Ordinal))
            changes.Add((silo, now.GetSiloStatus(silo) == SiloStatus.Dead ? Change.Dead : Change.Left));
        return changes;
    }

    internal static HashSet<SiloAddress> Active(ClusterMembershipSnapshot snapshot) =>
        [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HashSet<SiloAddress>? before = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                var now = Active(snapshot);
                foreach (var (silo, change) in Changes(before, snapshot, local.SiloAddress))
                {
                    var name = SiloLayout.NameOf(silo);
                    switch (change)
                    {
                        case Change.Dead: LogDead(log, name, now.Count); break;
                        case Change.Left: LogLeft(log, name, Words(snapshot.GetSiloStatus(silo)), now.Count); break;
                        default: LogJoined(log, name, now.Count); break;
                    }
                }
                before = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "silo {Silo} is dead: it stopped answering the others and the cluster declared it so; its shards and listeners move to the others ({Active} active)")]
    private static partial void LogDead(ILogger logger, string silo, int active);

    [LoggerMessage(Level = LogLevel.Information, Message = "silo {Silo} left the cluster ({Status}); {Active} active")]
    private static partial void LogLeft(ILogger logger, string silo, string status, int active);

    private static string Words(SiloStatus status) => status switch
    {
        SiloStatus.ShuttingDown => "shutting down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.None => "no longer in the membership",
        _ => status.ToString().ToLowerInvariant(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "silo {Silo} joined the cluster; {Active} active")]
    private static partial void LogJoined(ILogger logger, string silo, int active);
}
