using Earworm.App.Library;
using Earworm.App.Scans;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App.Status;

/// <summary>A scan under way (from this process or an `earworm scan` elsewhere): tracks done of those found.</summary>
public sealed record ScanState(bool Running, DateTimeOffset? StartedAt, int Done, int Total, int Failed, string? Phase);

/// <summary>Training under way, as the training verb last reported it: what, how far (done of total steps), a line to show.</summary>
public sealed record TrainingStatus(bool Running, string? Space, double Done, double Total, string? Message, DateTimeOffset? UpdatedAt);

/// <summary>A trained model as the status shows it.</summary>
public sealed record ModelSummary(string Space, string Kind, string Version, DateTimeOffset CreatedAt, string? MetricsJson);

/// <summary>The library at a glance.</summary>
public sealed record LibraryStatus(string Catalog, CatalogCounts Counts, IReadOnlyList<string> Spaces, ListeningCounts Listening,
    IReadOnlyList<ModelSummary> Models, ScanRecord? LastScan, ScanState Scan, TrainingStatus Training, IReadOnlyList<string> Roots,
    ImportRecord? LastImport, int SchemaVersion);

/// <summary>What the catalog and its excerpt cache take on disk.</summary>
public sealed record StorageStatus(string Catalog, long CatalogBytes, string Cache, long CacheBytes);

/// <summary>
/// Counts, spaces, models, listening data, and whether a scan runs: this process's (<see cref="ScanService"/>), or
/// another's — the catalog's scan lock is held and the last scan has not finished; its progress is then the share of
/// pending tracks done since it began. Training reports itself through <see cref="TrainingProgressFile"/>.
/// </summary>
public sealed class StatusService(LibraryCache library, ScanService? scans = null)
{
    private int _pendingAtStart = -1;

    public LibraryStatus Status()
    {
        var view = library.Current;
        return library.WithCatalog(c =>
        {
            var counts = c.Counts();
            var last = c.LastScan();
            var models = c.ListModels().Select(m => new ModelSummary(m.Space, m.Kind, m.Version, m.CreatedAt, m.MetricsJson)).ToList();
            return new LibraryStatus(library.Location.Name, counts, view.AvailableSpaces, c.ListeningCounts(), models, last, Scan(counts, last),
                Training(), view.Roots, c.LastImport(), c.SchemaVersion);
        });
    }

    /// <summary>The catalog's files (with its write-ahead log), or its database on a server, and the excerpt cache, in
    /// bytes (the cache is walked).</summary>
    public StorageStatus Storage()
    {
        var path = library.CatalogPath;
        long catalogBytes;
        if (library.Location.Server is { } server)
        {
            using var catalog = PostgresCatalog.Open(server);
            catalogBytes = catalog.SizeBytes();
        }
        else
        {
            catalogBytes = new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        }
        var cache = library.Location.Excerpts;
        return new StorageStatus(library.Location.Name, catalogBytes, cache.Directory, cache.SizeBytes());
    }

    private ScanState Scan(CatalogCounts counts, ScanRecord? last)
    {
        if (scans?.Progress is { } p)
            return new ScanState(true, last?.StartedAt, p.Done, p.Total, p.Failed, p.Phase);
        bool running = last is { FinishedAt: null } && LockHeld();
        if (!running)
        {
            _pendingAtStart = -1;
            return new ScanState(false, last?.StartedAt, 0, 0, 0, null);
        }
        // Another process scans: pending tracks fall as it commits them.
        if (_pendingAtStart < counts.Pending) _pendingAtStart = counts.Pending;
        return new ScanState(true, last!.StartedAt, _pendingAtStart - counts.Pending, _pendingAtStart, counts.Failed, "analysing");
    }

    private TrainingStatus Training() => TrainingProgressFile.Read(library.CatalogPath) is { } r
        ? new TrainingStatus(true, r.Space, r.Done, r.Total, r.Message, r.UpdatedAt)
        : new TrainingStatus(false, null, 0, 0, null, null);

    // A scan holds an exclusive lock on catalog.db.scan-lock; a shared one fails while it does.
    private bool LockHeld()
    {
        var path = library.CatalogPath + ".scan-lock";
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
