using Earworm.Catalog;
using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Earworm.Recommend.Text;

namespace Earworm.App.Library;

/// <summary>
/// The library of one catalog as the services read it: the current <see cref="LibraryView"/> (read again when the
/// catalog's <see cref="ICatalog.LibraryGeneration"/> moves, looked at no more than once a second and only when the
/// catalog has changed (<see cref="CatalogLocation.ChangeStamp"/>): a play, a star or a scrobble leaves the view, its vectors and indexes as they are),
/// connections for the reads that must be fresh (each statement reads what is committed), and the serving paths'
/// writer (<see cref="Write{T}"/>). A connection is never used by two threads at once: a unit of work rents one
/// (<see cref="WithCatalog{T}"/>), and the writer's is used by one write at a time.
/// </summary>
public sealed class LibraryCache(CatalogLocation location, TimeProvider? time = null, IReadOnlyList<string>? extraRoots = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _reload = new();
    private CatalogWriter? _writer;
    private readonly System.Collections.Concurrent.ConcurrentStack<ICatalog> _idle = new();
    private int _idleCount;
    private bool _disposed;
    private LibraryView? _view;
    private string? _stamp;
    private long _generation = -1;
    private long _changes;
    private long _checkedAt = long.MinValue;

    public CatalogLocation Location { get; } = location ?? throw new ArgumentNullException(nameof(location));

    public string CatalogPath => Location.CatalogPath;

    /// <summary>The library as of the last change to the catalog.</summary>
    /// <exception cref="UsageException">there is no catalog.</exception>
    public LibraryView Current
    {
        get
        {
            long now = _time.GetTimestamp();
            var view = Volatile.Read(ref _view);
            if (view is not null && _time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) < TimeSpan.FromSeconds(1)) return view;
            lock (_reload)
            {
                Volatile.Write(ref _checkedAt, now);
                var stamp = Stamp();
                if (_view is not null && stamp == _stamp) return _view;
                _stamp = stamp;
                Interlocked.Increment(ref _changes);
                // read before the view, so a write between the two makes the next look read the view again, never miss it
                long generation = WithCatalog(c => c.LibraryGeneration());
                if (_view is null || generation != _generation)
                {
                    _view = Load(generation);
                    _generation = generation;
                }
                return _view;
            }
        }
    }

    /// <summary>How many times the catalog has been seen to change, listening data included (looked at as
    /// <see cref="Current"/> looks): what is computed from listening data or feedback keys on it, since those changes
    /// leave <see cref="Current"/> as it was.</summary>
    public long Changes
    {
        get
        {
            _ = Current;
            return Volatile.Read(ref _changes);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> — one write of a serving path, such as a listener's feedback with its outcome —
    /// and returns what it returned. On a SQLite catalog it runs on the process's one writer connection after the
    /// writes queued before it (<see cref="Writer"/>): SQLite lets one connection write at a time, and a connection
    /// that finds the write lock taken sleeps in SQLite's busy handler in steps of 1 to 100 ms, far longer than a
    /// write holds it (a fraction of a millisecond); queued, a write starts the moment the one before it ends. Other
    /// processes (a scan, an import) still meet the busy handler. A PostgreSQL catalog's writes run side by side, each
    /// on a connection of its own.
    /// </summary>
    public T Write<T>(Func<ICatalog, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Location.Server is null ? Writer.Write(write) : WithCatalog(write);
    }

    /// <summary><see cref="Write{T}"/> for asynchronous callers: no thread waits for the writes before it.</summary>
    public Task<T> WriteAsync<T>(Func<ICatalog, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Location.Server is null ? Writer.WriteAsync(write) : Task.FromResult(WithCatalog(write));
    }

    /// <summary>The serving paths' writer (its connection opened at its first write): the event log's lists are
    /// committed together on it, on either back end, and on SQLite every serving write takes its turn there.</summary>
    internal CatalogWriter Writer
    {
        get
        {
            if (Volatile.Read(ref _writer) is { } writer) return writer;
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            var made = new CatalogWriter(Location.OpenExisting);
            return Interlocked.CompareExchange(ref _writer, made, null) ?? made;
        }
    }

    /// <summary>Closes the writer's connection once its queued writes are committed, and the idle read connections.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        Interlocked.Exchange(ref _writer, null)?.Dispose();
        while (_idle.TryPop(out var catalog))
        {
            Interlocked.Decrement(ref _idleCount);
            catalog.Dispose();
        }
    }

    /// <summary>Runs <paramref name="use"/> on a connection no other thread uses meanwhile (<see cref="Rent"/>).</summary>
    public T WithCatalog<T>(Func<ICatalog, T> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        var catalog = Rent();
        bool fine = false;
        try
        {
            var result = use(catalog);
            fine = true;
            return result;
        }
        finally
        {
            GiveBack(catalog, fine);
        }
    }

    /// <summary>Runs <paramref name="use"/> on a connection no other thread uses until the task ends.</summary>
    public async Task<T> WithCatalogAsync<T>(Func<ICatalog, Task<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        var catalog = Rent();
        bool fine = false;
        try
        {
            var result = await use(catalog).ConfigureAwait(false);
            fine = true;
            return result;
        }
        finally
        {
            GiveBack(catalog, fine);
        }
    }

    /// <summary>
    /// A connection for one unit of work: on a SQLite catalog an idle one when there is one, else a new one. Opening a
    /// SQLite connection (the file, the PRAGMAs, the schema's version) took about a fifth of a keep-playing request's
    /// CPU when every request opened its own. A connection is used by one unit of work at a time and kept after it
    /// (at most <see cref="MaxIdle"/> idle); one whose work failed is closed, and when the catalog file is gone the idle
    /// ones are closed and the missing catalog reported as before. PostgreSQL connections are pooled by Npgsql.
    /// </summary>
    private ICatalog Rent()
    {
        if (Location.Server is null && _idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            if (File.Exists(Location.CatalogPath)) return idle;
            idle.Dispose();
            while (_idle.TryPop(out var stale))
            {
                Interlocked.Decrement(ref _idleCount);
                stale.Dispose();
            }
        }
        return Location.OpenExisting();
    }

    private void GiveBack(ICatalog catalog, bool fine)
    {
        if (fine && Location.Server is null && !Volatile.Read(ref _disposed))
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle)
            {
                _idle.Push(catalog);
                if (Volatile.Read(ref _disposed)) Dispose(); // disposed meanwhile: close what is idle
                return;
            }
            Interlocked.Decrement(ref _idleCount);
        }
        catalog.Dispose();
    }

    /// <summary>Idle read connections kept for the next unit of work (SQLite).</summary>
    private const int MaxIdle = 8;

    private LibraryView Load(long generation) => WithCatalog(catalog =>
    {
        var roots = catalog.ScannedRoots().Concat(extraRoots ?? []).Select(Path.GetFullPath).Distinct().ToList();
        // the spaces of words are made from the tags and texts the view reads (they move its generation), once per view
        var words = WordSpaces.Build(catalog);
        var spaces = catalog.ListSpaces().Where(s => s.Space is not (SpaceService.Tags or SpaceService.Text))
            .Concat(new[] { words.Tags, words.Text }.OfType<VectorSpace>().Select(s => (s.Name, s.Count, 0))).ToList();
        return new LibraryView(catalog.ListTracks(), catalog.AllDescriptors(), roots, spaces, (v, n, k) => LoadSpace(v, n, k, words), catalog.ListModels(), words)
        {
            Generation = generation,
        };
    });

    private LibrarySpace LoadSpace(LibraryView view, string name, IndexKind kind, WordSpaces words) => WithCatalog(c =>
    {
        var spaces = new SpaceService(c, indexFolder: Location.ModelFolder, words: words); // a server's catalog has no file to put them beside
        var vectors = spaces.Load(name);
        var index = spaces.Index(name, kind);
        return new LibrarySpace(vectors, index, new PlaylistEngine(vectors, index, view.Facts));
    });

    // Any commit changes it (CatalogLocation.ChangeStamp).
    private string Stamp() => Location.ChangeStamp();
}
