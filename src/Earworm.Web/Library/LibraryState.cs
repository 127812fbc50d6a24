using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.Web.Library;

/// <summary>
/// The served catalog: the current <see cref="LibrarySnapshot"/> (re-read when the catalog file changes,
/// looked at no more than once a second), and short-lived connections for the writes (feedback) and the
/// reads that must be fresh. SQLite connections are not shared between threads: each use opens its own.
/// </summary>
public sealed class LibraryState(WebOptions options, TimeProvider time)
{
    private readonly Lock _reload = new();
    private LibrarySnapshot? _snapshot;
    private (long, DateTime, long, DateTime) _stamp;
    private long _checkedAt = long.MinValue;

    public string CatalogPath { get; } = Path.GetFullPath(options.CatalogPath);

    /// <summary>The library as of the last change to the catalog.</summary>
    public LibrarySnapshot Current
    {
        get
        {
            long now = time.GetTimestamp();
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null && time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) < TimeSpan.FromSeconds(1)) return snapshot;
            lock (_reload)
            {
                Volatile.Write(ref _checkedAt, now);
                var stamp = Stamp();
                if (_snapshot is null || stamp != _stamp)
                {
                    _snapshot = Load();
                    _stamp = stamp;
                }
                return _snapshot;
            }
        }
    }

    /// <summary>Runs <paramref name="use"/> on a connection of its own.</summary>
    public T WithCatalog<T>(Func<ICatalog, T> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        using var catalog = CatalogStore.Open(CatalogPath);
        return use(catalog);
    }

    /// <summary>Runs <paramref name="use"/> on a connection of its own, kept open until the task ends.</summary>
    public async Task<T> WithCatalogAsync<T>(Func<ICatalog, Task<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        using var catalog = CatalogStore.Open(CatalogPath);
        return await use(catalog).ConfigureAwait(false);
    }

    /// <summary>The excerpt cache beside the catalog.</summary>
    public ExcerptStore Excerpts => new(ExcerptStore.DefaultFor(CatalogPath));

    private LibrarySnapshot Load() => WithCatalog(catalog =>
    {
        var roots = catalog.ScannedRoots().Concat(options.LibraryRoots).Select(Path.GetFullPath).Distinct().ToList();
        return new LibrarySnapshot(catalog.ListTracks(), catalog.AllDescriptors(), roots, catalog.ListSpaces(),
            (snapshot, space) => WithCatalog(c =>
            {
                var spaces = new SpaceService(c);
                var vectors = spaces.Load(space);
                var index = spaces.Index(space);
                return new SpaceHandle(vectors, index, new PlaylistEngine(vectors, index, snapshot.Facts));
            }), catalog.ListModels());
    });

    // The database and its write-ahead log: any commit changes one of them.
    private (long, DateTime, long, DateTime) Stamp()
    {
        var db = new FileInfo(CatalogPath);
        var wal = new FileInfo(CatalogPath + "-wal");
        return (db.Exists ? db.Length : -1, db.Exists ? db.LastWriteTimeUtc : default, wal.Exists ? wal.Length : -1,
            wal.Exists ? wal.LastWriteTimeUtc : default);
    }
}
