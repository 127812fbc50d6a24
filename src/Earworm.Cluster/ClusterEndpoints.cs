using Earworm.Cluster.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Earworm.Cluster;

/// <summary>The routes a silo adds to the API: a listener's session (from their grain) and the cluster as this silo
/// sees it. Everything else — similar tracks, feedback, OpenSubsonic — is the web app's own endpoints, served through
/// the grains by <see cref="ClusterSilo.WithCluster"/>.</summary>
public static class ClusterEndpoints
{
    /// <summary>A listener's session as the API shows it.</summary>
    public sealed record SessionView(string User, IReadOnlyList<long> RecentPlays, IReadOnlyList<long> RecentSkips, IReadOnlyList<long> Likes,
        IReadOnlyList<long> Dislikes, string? Space, IReadOnlyList<float>? Vector, long LastFeedbackId, int Events, string? Silo);

    /// <summary>The cluster from this silo: the silos it counts as active, its settings, and the shards the layout gives
    /// this silo (each shard is held by <c>Replicas</c> silos).</summary>
    public sealed record ClusterView(string Silo, int ActiveSilos, IReadOnlyList<string> Silos, int Shards, int Replicas, IReadOnlyList<int> HeldShards,
        double ShardDeadlineMs, double HedgeDelayMs, long Generation);

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api");
        api.MapGet("/listeners/{user}/session", Session).WithName("ListenerSession").WithTags("cluster")
            .WithSummary("A listener's session as their grain holds it: recent plays and skips, likes, dislikes, current vector");
        api.MapGet("/cluster", Cluster).WithName("Cluster").WithTags("cluster").WithSummary("The silos this silo counts as active, the shards");
    }

    private static async Task<Ok<SessionView>> Session(IGrainFactory grains, string user)
    {
        if (string.IsNullOrWhiteSpace(user) || user.Length > App.Feedback.FeedbackService.MaxUserLength) throw new UsageException("name a listener");
        var s = await grains.GetGrain<IListenerGrain>(user.Trim()).GetAsync().ConfigureAwait(false);
        return TypedResults.Ok(new SessionView(user.Trim(), s.RecentPlays, s.RecentSkips, s.Likes, s.Dislikes, s.Space, s.Vector, s.LastFeedbackId, s.Events, s.Silo));
    }

    private static async Task<Ok<ClusterView>> Cluster(IGrainFactory grains, ILocalSiloDetails silo, ClusterSettings settings, SiloLibrary library, SiloLayout layout)
    {
        var current = layout.Current;
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
        return TypedResults.Ok(new ClusterView(silo.SiloAddress.ToString(), hosts.Count, [.. hosts.Keys.Select(h => h.ToString()).Order(StringComparer.Ordinal)],
            settings.Shards, current.Replicas, current.ShardsOf(layout.Self), settings.ShardDeadline.TotalMilliseconds, settings.HedgeDelay.TotalMilliseconds,
            library.Current.Generation));
    }
}
