using System.Diagnostics;
using System.Globalization;
using Earworm.App;
using Earworm.App.Similar;
using Earworm.Cluster.Grains;
using Earworm.Recommend;
using Earworm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Earworm.Cluster.Tests;

/// <summary>Three silos in this process (Orleans' InProcessTestCluster) over one catalog of 300 tracks with 8-dimensional
/// vectors, cut in 6 shards: the cluster's top k is the exact answer of one process, and while a killed silo's shards are
/// away a search answers from the others within its deadline, then from all again once the cluster has moved them.
/// In one process the cluster learns of a kill at once (the in-memory transport's connections close), so each shard load
/// waits <see cref="ClusterSettings.ShardLoadDelay"/> (8 s, four times the deadline: room for a busy machine): the time a real cluster takes to
/// declare a crashed silo dead, during which its shards are away.</summary>
public sealed class ShardedSearchTests : IAsyncLifetime
{
    private static readonly ClusterSettings Settings = new()
    {
        Shards = 6, ShardDeadline = TimeSpan.FromSeconds(2), ShardLoadDelay = TimeSpan.FromSeconds(8), ResponseTimeout = TimeSpan.FromSeconds(30),
    };
    private readonly TempDirectory _dir = new();
    private List<long> _ids = [];
    private CatalogLocation? _location;
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not deployed");

    public async Task InitializeAsync()
    {
        var location = _location = new CatalogLocation(_dir.File("catalog.db"));
        using (var catalog = location.Open()) _ids = VectorCatalog.Fill(catalog, 300, 8, seed: 7);
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Services.AddSingleton(_ => new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false })));
        builder.ConfigureSilo((_, silo) => silo.AddEarworm(Settings));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private static ISimilarTracks SimilarFrom(InProcessSiloHandle silo) =>
        new ClusterSimilarTracks(silo.ServiceProvider.GetRequiredService<EarwormServices>(), silo.ServiceProvider.GetRequiredService<IGrainFactory>(), Settings);

    private static SimilarRequest Request(long id, int count) =>
        new() { Track = id.ToString(CultureInfo.InvariantCulture), Space = "audio", Count = count, Reasons = false, Index = IndexKind.Exact };

    /// <summary>Which silo holds each shard (loading it on the way).</summary>
    private async Task<Dictionary<int, string>> ShardSilos(IGrainFactory grains)
    {
        var where = new Dictionary<int, string>();
        for (int i = 0; i < Settings.Shards; i++)
            where[i] = (await grains.GetGrain<IIndexShardGrain>(ShardKey.Of("audio", i, Settings.Shards)).NearestAsync(new ShardQuery { Vector = new float[8], K = 0 })).Silo;
        return where;
    }

    [Fact]
    public async Task The_clusters_top_k_is_the_exact_answer_of_one_process()
    {
        var silo = Cluster.Silos[1];
        var local = silo.ServiceProvider.GetRequiredService<EarwormServices>().LocalSimilar;
        var similar = SimilarFrom(silo);
        await ShardSilos(silo.ServiceProvider.GetRequiredService<IGrainFactory>());
        foreach (var id in _ids.Take(12))
        {
            var exact = await local.FindAsync(Request(id, 10));
            var sharded = await similar.FindAsync(Request(id, 10));
            Assert.Equal(1, sharded.Coverage);
            Assert.Equal(exact.Results.Select(r => r.Track.Id), sharded.Results.Select(r => r.Track.Id));
            Assert.Equal(exact.Results.Select(r => r.Score), sharded.Results.Select(r => r.Score));
            Assert.DoesNotContain(id, sharded.Results.Select(r => r.Track.Id));
        }
    }

    [Fact]
    public async Task A_killed_silos_shards_are_left_out_within_the_deadline_then_served_again()
    {
        var grains = Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        var where = await ShardSilos(grains);
        var victim = Cluster.Silos.OrderByDescending(s => where.Values.Count(v => v == s.SiloAddress.ToString())).First();
        var lost = where.Where(kv => kv.Value == victim.SiloAddress.ToString()).Select(kv => kv.Key).ToHashSet();
        Assert.NotEmpty(lost);
        var survivor = Cluster.Silos.First(s => s != victim);
        var similar = SimilarFrom(survivor);
        var local = survivor.ServiceProvider.GetRequiredService<EarwormServices>().LocalSimilar;
        long query = _ids[0];
        var exact = await local.FindAsync(Request(query, 300 - 1));

        await Cluster.KillSiloAsync(victim);
        var watch = Stopwatch.StartNew();
        var partial = await similar.FindAsync(Request(query, 10));
        watch.Stop();
        Assert.True(partial.Coverage < 1, $"coverage {partial.Coverage} right after the kill");
        Assert.Equal((double)(Settings.Shards - lost.Count) / Settings.Shards, partial.Coverage, 1e-9);
        Assert.True(watch.Elapsed < Settings.ShardDeadline + TimeSpan.FromSeconds(3), $"answered in {watch.Elapsed} with a deadline of {Settings.ShardDeadline}");
        // the best of the shards that answered: the exact ranking without the lost shards' tracks
        var expected = exact.Results.Select(r => r.Track.Id).Where(id => !lost.Contains(ShardMath.ShardOf(id, Settings.Shards))).Take(10);
        Assert.Equal(expected, partial.Results.Select(r => r.Track.Id));

        var again = partial;
        var waited = Stopwatch.StartNew();
        while (again.Coverage < 1 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
            again = await similar.FindAsync(Request(query, 10));
        }
        Assert.Equal(1, again.Coverage);
        Assert.Equal(exact.Results.Take(10).Select(r => r.Track.Id), again.Results.Select(r => r.Track.Id));
    }

    [Fact]
    public async Task A_new_model_reaches_every_shard_while_the_old_vectors_keep_answering()
    {
        var silo = Cluster.Silos[1];
        var local = silo.ServiceProvider.GetRequiredService<EarwormServices>().LocalSimilar;
        var similar = SimilarFrom(silo);
        await ShardSilos(silo.ServiceProvider.GetRequiredService<IGrainFactory>());
        long query = _ids[0];
        var before = await similar.FindAsync(Request(query, 10));
        Assert.Equal(1, before.Coverage);

        // a new model of the audio space: new vectors for every track (the catalog's generation moves)
        using (var catalog = _location!.Open())
        {
            var model = catalog.SaveModel("audio", "audio-cnn", "a2", "{}", "d", null, null);
            var random = new Random(8);
            catalog.SaveTrackVectors("audio", model.Id, _ids.Select(id => (id, Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())).ToList());
        }
        var waited = Stopwatch.StartNew();
        bool reloaded = false;
        while (!reloaded && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            var now = await similar.FindAsync(Request(query, 10));
            Assert.Equal(1, now.Coverage); // the shards answer from the old vectors while the new ones load: no downtime
            var exact = await local.FindAsync(Request(query, 10));
            reloaded = exact.Results.Select(r => r.Track.Id).SequenceEqual(now.Results.Select(r => r.Track.Id))
                       && !exact.Results.Select(r => r.Track.Id).SequenceEqual(before.Results.Select(r => r.Track.Id));
            if (!reloaded) await Task.Delay(250);
        }
        Assert.True(reloaded, "the shards never answered with the new model's vectors");
        Assert.True(waited.Elapsed >= Settings.ShardLoadDelay, $"the new vectors answered after {waited.Elapsed}, before a shard could have loaded them");
    }
}
