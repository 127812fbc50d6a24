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
public sealed partial class IndexShardGrain(SiloLibrary library, SiloLayout layout, ClusterSettings settings, ILocalSiloDetails silo, LocalShards local,
    ILogger<IndexShardGrain> log)
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
    private readonly string _silo = silo.SiloAddress.ToString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_space, _shard, _shards, _) = ShardKey.Parse(this.GetPrimaryKeyString());
        this.RegisterGrainTimer(RetireWhenMovedAsync, Retire / 3, Retire / 3);
        local.Add(this.GetPrimaryKeyString(), this);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        local.Remove(this.GetPrimaryKeyString(), this);
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
        if (part.Index is null || query.K <= 0) return Answer(part, query);
        return await Task.Run(() => Answer(part, query));
    }

    /// <summary>The answer from the partition loaded, without a grain call (<see cref="LocalShards"/>: this silo's
    /// coordinator): only when it is of the query's generation or newer and of its dimension, else false (the grain call
    /// starts the load, or answers from the old partition while it runs).</summary>
    internal bool TryAnswer(ShardQuery query, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ShardAnswer? answer)
    {
        var part = Volatile.Read(ref _current);
        answer = part is not null && part.Generation >= query.Generation && (part.Index is null || part.Dimension == query.Vector.Length)
            ? Answer(part, query)
            : null;
        return answer is not null;
    }

    /// <summary>The partition's best for the query (a search of its index; immutable, so from any thread).</summary>
    private ShardAnswer Answer(Partition part, ShardQuery query)
    {
        if (part.Index is not { } index || query.K <= 0) return new ShardAnswer { Ids = [], Scores = [], Generation = part.Generation, Count = part.Count, Silo = _silo };
        long? exclude = query.Exclude;
        Func<long, bool>? skip = exclude is long x ? id => id == x : null;
        int k = Math.Min(query.K, index.Count);
        var found = index is HnswIndex hnsw ? hnsw.Nearest(query.Vector, k, settings.EfSearch, skip) : index.Nearest(query.Vector, k, skip);
        var ids = new long[found.Count];
        var scores = new float[found.Count];
        for (int i = 0; i < found.Count; i++) (ids[i], scores[i]) = (found[i].Key, found[i].Score);
        return new ShardAnswer { Ids = ids, Scores = scores, Generation = part.Generation, Count = part.Count, Silo = _silo };
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
        var part = ShardMath.Partition(space, _shard, _shards);
        // exact below 100 000 tracks a shard, HNSW from there, saved in the catalog's model folder: a silo that restarts, or
        // another on the same machine that takes the shard, loads it instead of building it again
        var index = part.Count == 0 ? null : VectorIndex.For(part, cacheFolder: library.Services.Location.ModelFolder);
        return new Partition(view.Generation, index, space.Dimension, part.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "shard {Space} {Shard}/{Shards}: {Count} tracks of generation {Generation}")]
    private static partial void LogLoaded(ILogger logger, string space, int shard, int shards, int count, long generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "shard {Space} {Shard}/{Shards}: this silo no longer holds it; the replica leaves")]
    private static partial void LogRetired(ILogger logger, string space, int shard, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shard {Space} {Shard}/{Shards} could not load")]
    private static partial void LogLoadFailed(ILogger logger, string space, int shard, int shards, Exception? error);
}
