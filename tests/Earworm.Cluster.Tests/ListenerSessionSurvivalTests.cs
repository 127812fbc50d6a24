using System.Diagnostics;
using Earworm.App;
using Earworm.App.Feedback;
using Earworm.Catalog;
using Earworm.Cluster.Grains;
using Earworm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Earworm.Cluster.Tests;

/// <summary>Listener sessions kept in a Redis server of the test's own: a session outlives the silo that held it, and
/// catches up from the catalog on feedback its silo died before passing on.</summary>
public sealed class ListenerSessionSurvivalTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private List<long> _ids = [];
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not deployed");

    public async Task InitializeAsync()
    {
        if (RedisServer.SkipReason() is not null) return;
        var redis = RedisServer.Instance.Address;
        var location = new CatalogLocation(_dir.File("catalog.db"));
        using (var catalog = location.Open()) _ids = VectorCatalog.Fill(catalog, 40, 4, seed: 3);
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Services.AddSingleton(_ => new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false })));
        builder.ConfigureSilo((_, silo) => silo.AddEarworm(new ClusterSettings { Shards = 2 })
            .AddRedisGrainStorage(ClusterSilo.ListenerStorage, (Orleans.Persistence.RedisStorageOptions o) => o.ConfigurationOptions = ConfigurationOptions.Parse(redis)));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    [RedisFact]
    public async Task A_session_outlives_its_silo_and_catches_up_from_the_catalog()
    {
        var asker = Cluster.Silos[1];
        var feedback = asker.ServiceProvider.GetRequiredService<EarwormServices>().Feedback;
        // three feedbacks of another listener take the catalog's first ids, so the session's own events below (told to it
        // directly, never in the catalog: only Redis can give them back) do not shadow the catalog's later ones
        for (int i = 0; i < 3; i++) feedback.Record(new FeedbackRequest(_ids[i], FeedbackKind.Play, "bob", null), "me");
        var user = $"ana-{Guid.NewGuid():N}";
        var grain = asker.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IListenerGrain>(user);
        await grain.RecordAsync(new ListenerEvent { FeedbackId = 1, TrackId = _ids[10], Kind = "play" });
        await grain.RecordAsync(new ListenerEvent { FeedbackId = 2, TrackId = _ids[11], Kind = "like" });
        var before = await grain.RecordAsync(new ListenerEvent { FeedbackId = 3, TrackId = _ids[12], Kind = "skip" });
        var holder = Cluster.Silos.Single(s => s.SiloAddress.ToString() == before.Silo);
        var other = Cluster.Silos.First(s => s != holder);
        feedback = other.ServiceProvider.GetRequiredService<EarwormServices>().Feedback;

        await Cluster.KillSiloAsync(holder);
        // feedback that reached the catalog while the session's silo was dead (its notification lost with it)
        var late = feedback.Record(new FeedbackRequest(_ids[13], FeedbackKind.Like, user, null), "me");
        Assert.True(late.Id > 3);

        var grains = other.ServiceProvider.GetRequiredService<IGrainFactory>();
        ListenerSession? after = null;
        var waited = Stopwatch.StartNew();
        while (after is null && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                after = await grains.GetGrain<IListenerGrain>(user).GetAsync();
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                await Task.Delay(200); // the dead silo not yet declared dead: its grains unreachable
            }
        }
        Assert.NotNull(after);
        Assert.NotEqual(holder.SiloAddress.ToString(), after.Silo);
        Assert.Equal([_ids[10]], after.RecentPlays);
        Assert.Equal([_ids[12]], after.RecentSkips);
        Assert.Equal([_ids[11], _ids[13]], after.Likes);
        Assert.Equal(late.Id, after.LastFeedbackId);
        Assert.Equal(4, after.Events);
        Assert.NotNull(after.Vector);
    }
}
