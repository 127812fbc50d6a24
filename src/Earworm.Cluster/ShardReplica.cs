using Earworm.Cluster.Grains;
using Earworm.Recommend;
using Earworm.Recommend.Spaces;
using Microsoft.Extensions.Logging;

namespace Earworm.Cluster;

/// <summary>
/// One replica of a partition of a space's vectors and its index, held by the silo its key names (<see cref="ShardKey"/>)
/// in its <see cref="LocalShards"/> and asked through that silo's <see cref="ShardService"/>: a plain object, not a grain,
/// so that neither reaching it nor creating it goes through Orleans' grain directory (whose entries live on whichever silo
/// the grain's id hashes to: a hung silo there held the replica away from every silo that had not called it yet, and kept
/// a restarted silo from starting its own replicas, until the hung silo was declared dead). Loaded on first use from the
/// silo's view of the catalog (the generation the first query names, or newer); a query naming a newer generation starts
/// a reload in the background while the old partition keeps answering (a new model with another dimension cannot: its
/// queries wait for the load), so a new model version costs no downtime. Searches run side by side on the thread pool
/// (the index is immutable), loads never block them.
/// </summary>
public sealed partial class ShardReplica
{
    /// <summary>How long a load waits for this silo's view to reach the generation asked for (a silo sees a new model
    /// within a second or two of another).</summary>
    private static readonly TimeSpan ViewCatchUp = TimeSpan.FromSeconds(5);

    private sealed record Partition(long Generation, IVectorIndex? Index, int Dimension, int Count);

    private readonly Lock _gate = new();
    private readonly string _space;
    private readonly int _shard;
    private readonly int _shards;
    private Partition? _current;
    private Task<Partition>? _loading;
    private long _loadingGeneration = long.MinValue;
    private readonly SiloLibrary _library;
    private readonly ClusterSettings _settings;
    private readonly ILogger _log;
    private readonly string _silo;

    /// <param name="key">the replica's key (<see cref="ShardKey"/>).</param>
    /// <param name="silo">the silo's address as answers carry it (with its generation: which start of the silo answered).</param>
    internal ShardReplica(string key, SiloLibrary library, ClusterSettings settings, string silo, ILogger log)
    {
        Key = key;
        (_space, _shard, _shards, _) = ShardKey.Parse(key);
        _library = library;
        _settings = settings;
        _silo = silo;
        _log = log;
    }

    /// <summary>The replica's key: <c>space/shards/shard@silo</c>.</summary>
    public string Key { get; }

    /// <summary>The shard's number and how many the space is cut into.</summary>
    public (int Shard, int Shards) Shard => (_shard, _shards);

    /// <summary>The shard's best for the query. A newer generation than the replica holds starts a reload in the
    /// background; the replica answers from the vectors it has meanwhile (when their dimension matches).</summary>
    public async Task<ShardAnswer> NearestAsync(ShardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var part = await ReadyAsync(query.Generation, query.Vector.Length);
        if (part.Index is null || query.K <= 0) return Answer(part, query);
        return await Task.Run(() => Answer(part, query));
    }

    /// <summary>The answer from the partition loaded, searched on the caller's thread (<see cref="LocalShards"/>: this
    /// silo's coordinator): only when it is of the query's generation or newer and of its dimension, else false
    /// (<see cref="NearestAsync"/> starts the load, or answers from the old partition while it runs).</summary>
    internal bool TryAnswer(ShardQuery query, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ShardAnswer? answer)
    {
        var part = Volatile.Read(ref _current);
        answer = Answers(part, query) ? Answer(part!, query) : null;
        return answer is not null;
    }

    /// <summary>Whether <see cref="TryAnswer"/> would answer the query now (a loaded partition of its generation or newer
    /// and of its dimension).</summary>
    internal bool CanAnswer(ShardQuery query) => Answers(Volatile.Read(ref _current), query);

    private static bool Answers(Partition? part, ShardQuery query) =>
        part is not null && part.Generation >= query.Generation && (part.Index is null || part.Dimension == query.Vector.Length);

    /// <summary>The partition's best for the query (a search of its index; immutable, so from any thread).</summary>
    private ShardAnswer Answer(Partition part, ShardQuery query)
    {
        if (part.Index is not { } index || query.K <= 0) return new ShardAnswer { Ids = [], Scores = [], Generation = part.Generation, Count = part.Count, Silo = _silo };
        long? exclude = query.Exclude;
        Func<long, bool>? skip = exclude is long x ? id => id == x : null;
        int k = Math.Min(query.K, index.Count);
        var found = index is HnswIndex hnsw ? hnsw.Nearest(query.Vector, k, _settings.EfSearch, skip) : index.Nearest(query.Vector, k, skip);
        var ids = new long[found.Count];
        var scores = new float[found.Count];
        for (int i = 0; i < found.Count; i++) (ids[i], scores[i]) = (found[i].Key, found[i].Score);
        return new ShardAnswer { Ids = ids, Scores = scores, Generation = part.Generation, Count = part.Count, Silo = _silo };
    }

    /// <summary>Loads the generation given (or newer) ahead of the searches that will ask for it; how many tracks it holds.</summary>
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
            LogLoadFailed(_log, _space, _shard, _shards, load.Exception?.GetBaseException());
            return;
        }
        lock (_gate)
        {
            if (_current is null || load.Result.Generation >= _current.Generation) Volatile.Write(ref _current, load.Result);
        }
        LogLoaded(_log, _space, _shard, _shards, load.Result.Count, load.Result.Generation);
    }

    private async Task<Partition> LoadAsync(long generation)
    {
        if (_settings.ShardLoadDelay > TimeSpan.Zero) await Task.Delay(_settings.ShardLoadDelay);
        var view = _library.Current;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (view.Generation < generation && waited.Elapsed < ViewCatchUp)
        {
            await Task.Delay(200);
            view = _library.Current;
        }
        var space = _library.Vectors(view, _space);
        var part = ShardMath.Partition(space, _shard, _shards);
        // exact below 100 000 tracks a shard, HNSW from there, saved in the catalog's model folder: a silo that restarts, or
        // another on the same machine that takes the shard, loads it instead of building it again
        var index = part.Count == 0 ? null : VectorIndex.For(part, cacheFolder: _library.Services.Location.ModelFolder);
        return new Partition(view.Generation, index, space.Dimension, part.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "shard {Space} {Shard}/{Shards}: {Count} tracks of generation {Generation}")]
    private static partial void LogLoaded(ILogger logger, string space, int shard, int shards, int count, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shard {Space} {Shard}/{Shards} could not load")]
    private static partial void LogLoadFailed(ILogger logger, string space, int shard, int shards, Exception? error);
}
