using Earworm.Catalog;

namespace Earworm.App.Events;

/// <summary>
/// Appends the lists concurrent requests show in shared transactions (group commit) on the writer's own long-lived
/// connection. The first caller to find no write in progress writes every list queued by then in one transaction, on its
/// own thread; callers that arrive meanwhile queue their lists and await a task that completes once the commit holding
/// theirs is done (no thread waits for another's write); when the first writer is done and lists are queued, one pool
/// task writes them, and so on until the queue is empty. An acknowledged list survives the process being killed, as
/// before; concurrent requests neither each open a connection and queue on the catalog's write lock (where SQLite's
/// busy handler polls with sleeps) nor block pool threads. Each commit takes its turn with the process's other serving
/// writes (<paramref name="serialise"/>: <see cref="Library.LibraryCache.Writing{T}"/>). Thread-safe.
/// </summary>
internal sealed class ImpressionWriter(Func<ICatalog> open, Func<Func<IReadOnlyList<long>>, IReadOnlyList<long>>? serialise = null) : IDisposable
{
    private readonly Func<ICatalog> _open = open ?? throw new ArgumentNullException(nameof(open));
    private readonly Func<Func<IReadOnlyList<long>>, IReadOnlyList<long>> _serialise = serialise ?? (write => write());
    private readonly object _gate = new();
    private List<Pending> _queue = [];
    private bool _writing;
    private bool _disposed;
    private TaskCompletionSource? _idle; // set while Dispose waits for a write to end
    private ICatalog? _catalog; // used by the one writer at a time

    private sealed class Pending(IReadOnlyList<Impression> impressions)
    {
        public IReadOnlyList<Impression> Impressions { get; } = impressions;
        public IReadOnlyList<long>? Ids { get; set; }
        public Exception? Error { get; set; }
        public TaskCompletionSource<IReadOnlyList<long>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lists waiting for the write in progress to end (tests).</summary>
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
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        var mine = new Pending(impressions);
        List<Pending> batch;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(mine);
            if (_writing) return mine.Done.Task;
            _writing = true;
            (batch, _queue) = (_queue, []);
        }
        WriteThenHandOver(batch);
        return mine.Done.Task;
    }

    /// <summary>Writes <paramref name="batch"/>; then, while lists are queued, a pool task writes them.</summary>
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
            if (p.Error is { } e) p.Done.TrySetException(e);
            else if (p.Ids is { } ids) p.Done.TrySetResult(ids);
            else p.Done.TrySetException(new InvalidOperationException("the event log's write ended without committing this list"));
        }
    }

    /// <summary>Every list of <paramref name="batch"/> in one transaction; when that fails, each on its own, so one
    /// list the store refuses fails its own request only.</summary>
    private void Write(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                var all = new List<Impression>(batch.Sum(p => p.Impressions.Count));
                foreach (var p in batch) all.AddRange(p.Impressions);
                var catalog = Catalog();
                var ids = _serialise(() => catalog.AppendImpressions(all));
                int at = 0;
                foreach (var p in batch)
                {
                    var own = new long[p.Impressions.Count];
                    for (int k = 0; k < own.Length; k++) own[k] = ids[at + k];
                    p.Ids = own;
                    at += own.Length;
                }
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Reset(e);
            }
        }
        foreach (var p in batch)
        {
            try
            {
                var catalog = Catalog();
                p.Ids = _serialise(() => catalog.AppendImpressions(p.Impressions));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Reset(e);
                p.Error = e;
            }
        }
    }

    private ICatalog Catalog() => _catalog ??= _open();

    /// <summary>After a failure other than a refused list, the next write opens the catalog afresh.</summary>
    private void Reset(Exception e)
    {
        if (e is ArgumentException) return;
        _catalog?.Dispose();
        _catalog = null;
    }

    /// <summary>Waits for the write in progress (lists queued behind it are still written), then closes the
    /// connection; later appends throw <see cref="ObjectDisposedException"/>.</summary>
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
