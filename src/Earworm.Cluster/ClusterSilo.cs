using System.Net;
using Earworm.App;
using Earworm.App.Feedback;
using Earworm.Cluster.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Earworm.Cluster;

/// <summary>
/// Makes a host a silo of Earworm's cluster. <see cref="AddEarworm"/> adds the grains' services and the failure
/// settings (what <c>earworm silo</c> and the tests share); <see cref="UseRedis"/> adds what a real cluster needs besides:
/// its identity, the silo's endpoints (on loopback, or the address the other machines reach it at), membership and
/// listener sessions in Redis. The host must hold one
/// <see cref="EarwormServices"/> (the web app's, in <c>earworm silo</c>).
/// </summary>
public static partial class ClusterSilo
{
    /// <summary>The grain storage listener sessions are kept in.</summary>
    public const string ListenerStorage = "listeners";

    public static ISiloBuilder AddEarworm(this ISiloBuilder silo, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        silo.Services.AddSingleton(settings);
        silo.Services.AddSingleton(sp => new SiloLibrary(sp.GetRequiredService<EarwormServices>()));
        silo.Services.AddSingleton<SiloLayout>();
        silo.Services.AddSingleton<LocalShards>();
        silo.AddGrainService<ShardService>();
        silo.Services.AddSingleton<ShardServiceClient>();
        silo.Services.AddHostedService<ShardWarmer>();
        silo.Services.AddHostedService<MembershipLog>();
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = settings.ProbeTimeout;
            o.NumMissedProbesLimit = settings.MissedProbes;
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        return silo;
    }

    /// <summary>Connects to the Redis server once, so a silo that cannot reach it says so before it starts (Orleans' own
    /// start fails with its stack and a connection error a person cannot act on).</summary>
    /// <param name="redis">host:port of the Redis server.</param>
    /// <exception cref="UsageException">an address that is not one.</exception>
    /// <exception cref="EarwormException">nothing answers there.</exception>
    public static void CheckRedis(string redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e, $"--redis {redis}: ");
        }
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 5000;
        try
        {
            using var connection = ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException e)
        {
            throw new EarwormException($"cannot reach Redis at {redis} (is redis-server running there? --redis takes HOST:PORT)", e);
        }
    }

    /// <summary>The address a silo tells the others to reach it at: an IP address, or a name resolved now to its first
    /// IPv4 address (Orleans advertises an address, not a name).</summary>
    /// <exception cref="UsageException">neither an address nor a name that resolves.</exception>
    public static IPAddress Advertised(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IPAddress.TryParse(address.Trim(), out var ip)) return ip;
        try
        {
            return Dns.GetHostAddresses(address.Trim()).OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
                ?? throw new UsageException($"--advertise {address}: the name has no address");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"--advertise {address}: not an IP address, nor a name that resolves ({e.Message})");
        }
    }

    /// <param name="redis">host:port of the Redis server (membership, listener sessions).</param>
    /// <param name="advertised">the address other silos and clients reach this one at; null or loopback: a cluster on
    /// one machine, listening on loopback only. Any other: the silo and gateway ports listen on every interface.</param>
    public static ISiloBuilder UseRedis(this ISiloBuilder silo, ClusterSettings settings, string redis, int siloPort, int gatewayPort,
        IPAddress? advertised = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        var redisOptions = ConfigurationOptions.Parse(redis);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        advertised ??= IPAddress.Loopback;
        silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        silo.UseRedisClustering(o => o.ConfigurationOptions = redisOptions.Clone());
        silo.AddRedisGrainStorage(ListenerStorage, (Orleans.Persistence.RedisStorageOptions o) => o.ConfigurationOptions = redisOptions.Clone());
        return silo;
    }

    /// <summary>The application layer's options for a silo: similar tracks from the shards, and each feedback, once in the
    /// catalog, passed on to the listener's session (after the answer: a session that misses it catches up from the
    /// catalog when next activated).</summary>
    public static ServiceOptions WithCluster(ServiceOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var grains = services.GetRequiredService<IGrainFactory>();
        var settings = services.GetRequiredService<ClusterSettings>();
        var log = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(ClusterSilo));
        return options with
        {
            Similar = s => new ClusterSimilarTracks(s, grains, settings),
            FeedbackRecorded = f => Notify(grains, settings, f, log),
        };
    }

    private static void Notify(IGrainFactory grains, ClusterSettings settings, FeedbackRecorded f, ILogger? log)
    {
        var e = new ListenerEvent { FeedbackId = f.Id, TrackId = f.TrackId, Kind = ListenerGrain.KindName(f.Kind) };
        _ = Task.Run(async () =>
        {
            try
            {
                await grains.GetGrain<IListenerGrain>(f.User).RecordAsync(e).WaitAsync(settings.SessionUpdateTimeout).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the feedback is in the catalog already; the session catches up from it when next activated
            catch (Exception error)
#pragma warning restore CA1031
            {
                if (log is not null) LogSessionMissed(log, f.User, f.Id, error);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the session of {User} missed feedback {Id} (it catches up from the catalog when next activated)")]
    private static partial void LogSessionMissed(ILogger logger, string user, long id, Exception error);
}

/// <summary>Loads the replicas the shard layout gives this silo (<see cref="SiloLayout"/>) of the best space as soon as
/// the silo has joined, whenever the catalog's generation moves (a new model) or the cluster's members change (a silo
/// joined or died: the layout moved), so searches find them ready; looks once a second (and drops the replicas the
/// layout moved away half a minute ago: <see cref="LocalShards.RetireMoved"/>).</summary>
internal sealed partial class ShardWarmer(SiloLibrary library, SiloLayout layout, LocalShards local, ClusterSettings settings, ILogger<ShardWarmer> log)
    : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        (long Generation, ShardLayout? Layout) warmed = (long.MinValue, null);
        var since = System.Diagnostics.Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var view = library.Current;
                var current = layout.Current;
                local.RetireMoved(current);
                bool moved = view.Generation != warmed.Generation || !ReferenceEquals(current, warmed.Layout);
                if (moved || since.Elapsed > Refresh)
                {
                    var mine = current.ShardsOf(layout.Self);
                    if (view.AvailableSpaces.Count > 0 && mine.Count > 0)
                    {
                        var name = view.BestSpaceName;
                        await Task.WhenAll(mine.Select(i => local.Replica(ShardKey.Of(name, i, settings.Shards, layout.Self)).WarmAsync(view.Generation)))
                            .WaitAsync(TimeSpan.FromMinutes(10), stoppingToken).ConfigureAwait(false);
                        if (moved) LogWarmed(log, name, string.Join(' ', mine), settings.Shards, current.Silos.Count, view.Generation);
                        warmed = (view.Generation, current);
                    }
                    since.Restart();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a silo that cannot warm its shards yet (the cluster still forming, the catalog away) tries again
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWarmFailed(log, e);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "warmed shards {Mine} of {Shards} of {Space} ({Silos} silos active) at generation {Generation}")]
    private static partial void LogWarmed(ILogger logger, string space, string mine, int shards, int silos, long generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "could not warm the shards yet")]
    private static partial void LogWarmFailed(ILogger logger, Exception error);
}
