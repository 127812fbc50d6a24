using System.Runtime.ExceptionServices;
using Earworm.Catalog;

namespace Earworm.App.Events;

/// <summary>
/// Appends the lists concurrent requests show in shared transactions (group commit): the first caller to find no write
/// in progress writes every list queued by then in one transaction on the writer's own long-lived connection, and each
/// caller returns once the commit that holds its list is done — an acknowledged list survives the process being
/// killed, as before, but concurrent requests no longer each open a connection and queue on the catalog's write lock
/// (where SQLite's busy handler polls with sleeps). Profiled on the events benchmark, opening a connection and waiting
/// for the write lock were four fifths of what logging a list cost. Thread-safe.
/// </summary>
internal sealed class ImpressionWriter(Func<ICatalog> open) : IDisposable
{
    private readonly Func<ICatalog> _open = open ?? throw new ArgumentNullException(nameof(open));
    private readonly object _gate = new();
    private List<Pending> _queue = [];
    private bool _writing;
    private bool _disposed;
    private ICatalog? _catalog; // used by the one caller writing at a time

    private sealed class Pending(IReadOnlyList<Impression> impressions)
    {
        public IReadOnlyList<Impression> Impressions { get; } = impressions;
        public IReadOnlyList<long>? Ids { get; set; }
        public ExceptionDispatchInfo? Error { get; set; }
        public bool Done { get; set; }
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
    public IReadOnlyList<long> Append(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        var mine = new Pending(impressions);
        List<Pending>? batch = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(mine);
            while (_writing && !mine.Done) Monitor.Wait(_gate);
            if (!mine.Done)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _writing = true;
                (batch, _queue) = (_queue, []);
            }
        }
        if (batch is not null)
        {
            try
            {
                Write(batch);
            }
            finally
            {
                lock (_gate)
                {
                    foreach (var p in batch) p.Done = true;
                    _writing = false;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        mine.Error?.Throw();
        return mine.Ids!;
    }

    /// <summary>Every list of <paramref name="batch"/> in one transaction; when that fails, each on its own, so one
    /// list the store refuses fails its own request only.</summary>
    private void Write(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                var ids = Catalog().AppendImpressions(batch.SelectMany(p => p.Impressions).ToList());
                int at = 0;
                foreach (var p in batch)
                {
                    p.Ids = ids.Skip(at).Take(p.Impressions.Count).ToList();
                    at += p.Impressions.Count;
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
                p.Ids = Catalog().AppendImpressions(p.Impressions);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Reset(e);
                p.Error = ExceptionDispatchInfo.Capture(e);
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

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_writing) Monitor.Wait(_gate);
            _catalog?.Dispose();
            _catalog = null;
        }
    }
}
