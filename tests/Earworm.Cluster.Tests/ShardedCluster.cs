using System.Globalization;
using Earworm.App;
using Earworm.App.Similar;
using Earworm.Cluster.Grains;
using Earworm.Recommend;
using Earworm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Earworm.Cluster.Tests;

/// <summary>Three silos in this process (Orleans' InProcessTestCluster) over one catalog of 300 tracks with 8-dimensional
/// vectors, cut in 6 shards; the settings each silo gets are the test class's (<see cref="SettingsOf"/>: by the order the
/// silos are made in, 0–2).</summary>
public abstract class ShardedCluster : IAsyncLifetime
{
    protected const int Tracks = 300;
    private readonly TempDirectory _dir = new();
    private readonly List<string> _names = [];
    private InProcessTestCluster? _cluster;

    protected List<long> Ids { get; private set; } = [];

    /// <summary>What the silos logged, all of them together.</summary>
    protected CapturedLogs Logs { get; } = new();
    protected CatalogLocation? Location { get; private set; }
    protected InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not deployed");

    /// <summary>The settings of the silo made <paramref name="index"/>th (the shards and replicas must agree).</summary>
    protected abstract ClusterSettings SettingsOf(int index);

    protected ClusterSettings Settings => SettingsOf(0);

    /// <summary>The silo made <paramref name="index"/>th.</summary>
    protected InProcessSiloHandle Silo(int index) => Cluster.Silos.Single(s => s.Name == _names[index]);

    public async Task InitializeAsync()
    {
        var location = Location = new CatalogLocation(_dir.File("catalog.db"));
        using (var catalog = location.Open()) Ids = VectorCatalog.Fill(catalog, Tracks, 8, seed: 7);
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(_ => new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false }));
            host.Logging.AddProvider(Logs);
        });
        builder.ConfigureSilo((options, silo) =>
        {
            int index;
            lock (_names)
            {
                if (!_names.Contains(options.SiloName)) _names.Add(options.SiloName);
                index = _names.IndexOf(options.SiloName);
            }
            silo.AddEarworm(SettingsOf(index));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    protected ISimilarTracks SimilarFrom(InProcessSiloHandle silo) =>
        new ClusterSimilarTracks(silo.ServiceProvider.GetRequiredService<EarwormServices>(), silo.ServiceProvider.GetRequiredService<IGrainFactory>(), Settings);

    protected static ISimilarTracks LocalOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<EarwormServices>().LocalSimilar;

    protected static SimilarRequest Request(long id, int count) =>
        new() { Track = id.ToString(CultureInfo.InvariantCulture), Space = "audio", Count = count, Reasons = false, Index = IndexKind.Exact };

    /// <summary>The layout as <paramref name="silo"/> sees it once every silo has joined, each replica loaded and checked
    /// to answer from the silo its key names — but those of <paramref name="except"/> (a silo whose replicas never load).</summary>
    protected async Task<ShardLayout> LoadedLayout(InProcessSiloHandle silo, string? except = null)
    {
        var layout = silo.ServiceProvider.GetRequiredService<SiloLayout>();
        var shards = silo.ServiceProvider.GetRequiredService<ShardServiceClient>();
        for (int i = 0; i < 100 && layout.Current.Silos.Count < Cluster.Silos.Count; i++) await Task.Delay(100);
        var current = layout.Current;
        Assert.Equal(Cluster.Silos.Count, current.Silos.Count);
        for (int s = 0; s < Settings.Shards; s++)
        {
            foreach (var holder in current.HoldersOf(s).Where(h => h != except))
            {
                var answer = await shards.NearestAsync(layout.AddressOf(holder)!, ShardKey.Of("audio", s, Settings.Shards, holder), new ShardQuery { Vector = new float[8], K = 0 });
                Assert.Equal(holder, SiloLayout.NameOf(Cluster.Silos.Single(h => h.SiloAddress.ToString() == answer.Silo).SiloAddress));
            }
        }
        return current;
    }
}
