using Earworm.Catalog;

namespace Earworm.App.Library;

/// <summary>
/// The serving paths' writes to one catalog, one after another on the writer's own long-lived connection: the lists
/// the event log shows (<see cref="Post"/>, or <see cref="AppendAsync"/> to wait for their ids) and a listener's
/// feedback with its outcome (<see cref="WriteAsync{T}"/>). The first caller to find no write in progress writes
/// everything queued by then, on its own thread: consecutive lists in one transaction (group commit), any other write
/// in its own, in the order they came. Callers that arrive meanwhile queue: a posted list's caller goes on at once (a
/// list that cannot be written is reported to the poster's callback), any other awaits a task that completes once the
/// commit holding its write is done (no thread waits for another's write, and none spins on a lock: on two cores,
/// threads spinning for the write lock took 6 % of a serving run's CPU); when the first writer is done and writes are
/// queued, one pool task writes them, and so on until the queue is empty. An awaited write is acknowledged once
/// committed, so it survives the process being killed; concurrent requests neither each open a connection nor queue on
/// the catalog's write lock, where SQLite's busy handler polls with sleeps of 1 to 100 ms. Thread-safe.
/// </summary>
internal sealed class CatalogWriter(Func<ICatalog> open) : IDisposable
{
    private readonly Func<ICatalog> _open = open ?? throw new ArgumentNullException(nameof(open));
    private readonly object _gate = new();
    private List<Pending> _queue = [];
    private bool _writing;
    private bool _disposed;
    private TaskCompletionSource? _idle; // set while Dispose waits for a write to end
    private ICatalog? _catalog; // used by the one writer at a time

    /// <summary>One queued write: a list of impressions, or a write of another kind (<see cref="Other"/>); awaited
    /// (<see cref="Done"/>) or posted (<see cref="Lost"/> told if it fails).</summary>
    private sealed class Pending
    {
        public IReadOnlyList<Impression>? Impressions { get; init; }
        public Func<ICatalog, object?>? Other { get; init; }
        public object? Result { get; set; }
        public bool Written { get; set; }
        public Exception? Error { get; set; }
        public TaskCompletionSource<object?>? Done { get; init; }
        public Action<Exception>? Lost { get; init; }
    }

    private static TaskCompletionSource<object?> Waiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes waiting for the write in progress to end (<see cref="Post"/> holds posters back past <see cref="MaxQueued"/>).</summary>
    internal int Queued
    {
        get
        {
            lock (_gate) return _queue.Count;
        }
    }

    /// <summary>Appends <paramref name="impressions"/> (one list) and returns their ids once they are committed.</summary>
    public IReadOnlyList<long> Append(IReadOnlyList<Impression> impressions) => AppendAsync(impressions).GetAwaiter().GetResult();

    /// <summary>Appends <paramref name="impressions"/> (one list); the task ends with their ids once they are
    /// committed, or with the store's refusal of this list.</summary>
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        return (IReadOnlyList<long>)(await Enqueue(new Pending { Impressions = impressions, Done = Waiter() })!.ConfigureAwait(false))!;
    }

    /// <summary>Queues <paramref name="impressions"/> (one list) and returns without waiting for them to be committed
    /// (the caller writes them itself when no write is in progress); when they cannot be, <paramref name="lost"/> is
    /// told, on the writer's thread.</summary>
    public void Post(IReadOnlyList<Impression> impressions, Action<Exception> lost)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        ArgumentNullException.ThrowIfNull(lost);
        Enqueue(new Pending { Impressions = impressions, Lost = lost });
        // a writer that falls behind (a disk that stalls) holds the posters back rather than letting the queue grow
        if (Queued > MaxQueued) FlushAsync().GetAwaiter().GetResult();
    }

    /// <summary>Writes queued behind the one in progress beyond which <see cref="Post"/> waits for them.</summary>
    internal const int MaxQueued = 4_096;

    /// <summary>Ends once every write queued before it has been written (or failed).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
            if (!_writing && _queue.Count == 0) return Task.CompletedTask;
        return Enqueue(new Pending { Other = static _ => null, Done = Waiter() })!;
    }

    /// <summary>Runs <paramref name="write"/> on the writer's connection in its turn (it commits its own transaction)
    /// and returns what it returned.</summary>
    public T Write<T>(Func<ICatalog, T> write) => WriteAsync(write).GetAwaiter().GetResult();

    /// <summary><see cref="Write{T}"/> for asynchronous callers: no thread waits for the writes before it.</summary>
    public async Task<T> WriteAsync<T>(Func<ICatalog, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return (T)(await Enqueue(new Pending { Other = c => write(c), Done = Waiter() })!.ConfigureAwait(false))!;
    }

    /// <summary>Queues <paramref name="mine"/>, and writes the queue when no write is in progress; the task of an
    /// awaited write, null for a posted one.</summary>
    private Task<object?>? Enqueue(Pending mine)
    {
        List<Pending> batch;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(mine);
            if (_writing) return mine.Done?.Task;
            _writing = true;
            (batch, _queue) = (_queue, []);
        }
        WriteThenHandOver(batch);
        return mine.Done?.Task;
    }

    /// <summary>Writes <paramref name="batch"/>; then, while writes are queued, a pool task writes them.</summary>
    private void WriteThenHandOver(List<Pending> batch)
    {
        try
        {
            Write(batch);
        }
        finally
        {
            Complete(batch);
            List<Pending>? next = null;
            lock (_gate)
            {
                if (_queue.Count > 0) (next, _queue) = (_queue, []);
                else
                {
                    _writing = false;
                    _idle?.TrySetResult();
                }
            }
            if (next is not null) _ = Task.Run(() => WriteThenHandOver(next));
        }
    }

    private static void Complete(List<Pending> batch)
    {
        foreach (var p in batch)
        {
            var error = p.Error ?? (p.Written ? null : new InvalidOperationException("the catalog's writer ended without committing this write"));
            if (p.Done is { } done)
            {
                if (error is null) done.TrySetResult(p.Result);
                else done.TrySetException(error);
            }
            else if (error is not null)
            {
                try
                {
                    p.Lost!(error);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // the poster's report failed; the writes after it still go on
                }
            }
        }
    }

    /// <summary>The writes of <paramref name="batch"/> in their order: each run of lists together, any other write alone.</summary>
    private void Write(List<Pending> batch)
    {
        for (int i = 0; i < batch.Count;)
        {
            if (batch[i].Other is { } other)
            {
                var p = batch[i++];
                try
                {
                    p.Result = other(Catalog());
                    p.Written = true;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Reset(e);
                    p.Error = e;
                }
                continue;
            }
            int end = i;
            while (end < batch.Count && batch[end].Impressions is not null) end++;
            WriteLists(batch.GetRange(i, end - i));
            i = end;
        }
    }

    /// <summary>Every list of <paramref name="lists"/> in one transaction; when that fails, each on its own, so one
    /// list the store refuses fails its own request only.</summary>
    private void WriteLists(List<Pending> lists)
    {
        if (lists.Count > 1)
        {
            try
            {
                var all = new List<Impression>(lists.Sum(p => p.Impressions!.Count));
                foreach (var p in lists) all.AddRange(p.Impressions!);
                var ids = Catalog().AppendImpressions(all);
                int at = 0;
                foreach (var p in lists)
                {
                    var own = new long[p.Impressions!.Count];
                    for (int k = 0; k < own.Length; k++) own[k] = ids[at + k];
                    (p.Result, p.Written) = (own, true);
                    at += own.Length;
                }
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Reset(e);
            }
        }
        foreach (var p in lists)
        {
            try
            {
                (p.Result, p.Written) = (Catalog().AppendImpressions(p.Impressions!), true);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Reset(e);
                p.Error = e;
            }
        }
    }

    private ICatalog Catalog() => _catalog ??= _open();

    /// <summary>After a failure other than a refused write, the next write opens the catalog afresh.</summary>
    private void Reset(Exception e)
    {
        if (e is ArgumentException or UsageException) return;
        _catalog?.Dispose();
        _catalog = null;
    }

    /// <summary>Waits for the write in progress (writes queued behind it are still written), then closes the
    /// connection; later writes throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Task? idle = null;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_writing) idle = (_idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        idle?.Wait();
        lock (_gate)
        {
            _catalog?.Dispose();
            _catalog = null;
        }
    }
}
