using Earworm.Recommend;
using Earworm.Recommend.Spaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Earworm.Cluster.Grains;

/// <summary>
/// One replica of a partition of a space's vectors and its index, on the silo its key names (<see cref="ShardPlacement"/>). Loaded on activation from the silo's view of the catalog (the
/// generation the first query names, or newer); a query naming a newer generation starts a reload in the background
/// while the old partition keeps answering (a new model with another dimension cannot: its queries wait for the load),
/// so a new model version costs no downtime. Reentrant: searches run side by side on the thread pool (the index is
/// immutable), loads never block them.
/// </summary>
[Reentrant, ShardPlacement]
public sealed partial class IndexShardGrain(SiloLibrary library, SiloLayout layout, ClusterSettings settings, ILocalSiloDetails silo, ILogger<IndexShardGrain> log)
    : Grain, IIndexShardGrain
{
    /// <summary>How long a replica the layout no longer gives its silo (a silo came back and took its shards again, or the
    /// first silo held every shard while it was alone) stays before it leaves, freeing its memory.</summary>
    private static readonly TimeSpan Retire = TimeSpan.FromSeconds(30);

    /// <summary>How long a load waits for this silo's view to reach the generation asked for (a silo sees a new model
    /// within a second or two of another).</summary>
    private static readonly TimeSpan ViewCatchUp = TimeSpan.FromSeconds(5);

    private sealed record Partition(long Generation, IVectorIndex? Index, int Dimension, int Count);

    private readonly Lock _gate = new();
    private string _space = "";
    private int _shard;
    private int _shards = 1;
    private Partition? _current;
    private Task<Partition>? _loading;
    private long _loadingGeneration = long.MinValue;
    private long _outOfLayoutSince = -1;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_space, _shard, _shards, _) = ShardKey.Parse(this.GetPrimaryKeyString());
        this.RegisterGrainTimer(RetireWhenMovedAsync, Retire / 3, Retire / 3);
        return Task.CompletedTask;
    }

    private Task RetireWhenMovedAsync(CancellationToken cancellationToken)
    {
        var current = layout.Current;
        bool held = current.Shards != _shards || current.Silos.Count == 0 || current.HoldersOf(_shard).Contains(layout.Self);
        if (held) _outOfLayoutSince = -1;
        else if (_outOfLayoutSince < 0) _outOfLayoutSince = Environment.TickCount64;
        else if (Environment.TickCount64 - _outOfLayoutSince >= Retire.TotalMilliseconds)
        {
            LogRetired(log, _space, _shard, _shards);
            this.DeactivateOnIdle();
        }
        return Task.CompletedTask;
    }

    public async Task<ShardAnswer> NearestAsync(ShardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var part = await ReadyAsync(query.Generation, query.Vector.Length);
        if (part.Index is not { } index || query.K <= 0) return new ShardAnswer { Ids = [], Scores = [], Generation = part.Generation, Count = part.Count, Silo = silo.SiloAddress.ToString() };
        long? exclude = query.Exclude;
        var vector = query.Vector;
        int k = Math.Min(query.K, index.Count);
        var found = await Task.Run(() => index.Nearest(vector, k, exclude is long x ? id => id == x : null));
        var ids = new long[found.Count];
        var scores = new float[found.Count];
        for (int i = 0; i < found.Count; i++) (ids[i], scores[i]) = (found[i].Key, found[i].Score);
        return new ShardAnswer { Ids = ids, Scores = scores, Generation = part.Generation, Count = part.Count, Silo = silo.SiloAddress.ToString() };
    }

    public async Task<int> WarmAsync(long generation) => (await ReadyAsync(generation, -1)).Count;

    /// <summary>The partition to answer from: the current one when of the generation asked or newer; while a reload
    /// runs, the current one when its dimension is the query's (<paramref name="dimension"/> -1, a warm-up: never);
    /// else the load's.</summary>
    private Task<Partition> ReadyAsync(long generation, int dimension)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Generation >= generation) return Task.FromResult(current);
        var loading = StartLoad(generation);
        if (loading.IsCompletedSuccessfully) return loading;
        if (current is not null && dimension >= 0 && current.Dimension == dimension) return Task.FromResult(current);
        return loading;
    }

    private Task<Partition> StartLoad(long generation)
    {
        lock (_gate)
        {
            if (_loading is { IsFaulted: false, IsCanceled: false } running && _loadingGeneration >= generation) return running;
            _loadingGeneration = generation;
            var task = Task.Run(() => LoadAsync(generation));
            _loading = task;
            _ = task.ContinueWith(Loaded, TaskScheduler.Default);
            return task;
        }
    }

    private void Loaded(Task<Partition> load)
    {
        if (!load.IsCompletedSuccessfully)
        {
            LogLoadFailed(log, _space, _shard, _shards, load.Exception?.GetBaseException());
            return;
        }
        lock (_gate)
        {
            if (_current is null || load.Result.Generation >= _current.Generation) Volatile.Write(ref _current, load.Result);
        }
        LogLoaded(log, _space, _shard, _shards, load.Result.Count, load.Result.Generation);
    }

    private async Task<Partition> LoadAsync(long generation)
    {
        if (settings.ShardLoadDelay > TimeSpan.Zero) await Task.Delay(settings.ShardLoadDelay);
        var view = library.Current;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (view.Generation < generation && waited.Elapsed < ViewCatchUp)
        {
            await Task.Delay(200);
            view = library.Current;
        }
        var space = library.Vectors(view, _space);
        var part = Partitioned(space, _shard, _shards);
        // exact below 100 000 tracks a shard, HNSW from there, saved in the catalog's model folder: a silo that restarts, or
        // another on the same machine that takes the shard, loads it instead of building it again
        var index = part.Count == 0 ? null : VectorIndex.For(part, cacheFolder: library.Services.Location.ModelFolder);
        return new Partition(view.Generation, index, space.Dimension, part.Count);
    }

    /// <summary>The rows of <paramref name="space"/> whose tracks fall in shard <paramref name="shard"/>.</summary>
    internal static VectorSpace Partitioned(VectorSpace space, int shard, int shards)
    {
        var ids = new List<long>();
        for (int i = 0; i < space.Count; i++)
            if (ShardMath.ShardOf(space.Ids[i], shards) == shard) ids.Add(space.Ids[i]);
        var data = new float[ids.Count * space.Dimension];
        for (int j = 0; j < ids.Count; j++) space.VectorOf(ids[j]).CopyTo(data.AsSpan(j * space.Dimension, space.Dimension));
        // named for the shard, so its saved index is its own (VectorIndex names the file after the space)
        return new VectorSpace(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{space.Name}-shard{shard}of{shards}"), space.Dimension, [.. ids], data,
            space.Metric, space.Description);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "shard {Space} {Shard}/{Shards}: {Count} tracks of generation {Generation}")]
    private static partial void LogLoaded(ILogger logger, string space, int shard, int shards, int count, long generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "shard {Space} {Shard}/{Shards}: this silo no longer holds it; the replica leaves")]
    private static partial void LogRetired(ILogger logger, string space, int shard, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shard {Space} {Shard}/{Shards} could not load")]
    private static partial void LogLoadFailed(ILogger logger, string space, int shard, int shards, Exception? error);
}
