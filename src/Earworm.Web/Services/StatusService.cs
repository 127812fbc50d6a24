using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>A scan under way (from this server or an `earworm scan` elsewhere): tracks done of those found.</summary>
public sealed record ScanState(bool Running, DateTimeOffset? StartedAt, int Done, int Total, int Failed, string? Phase);

/// <summary>Training under way, as the training verb last reported it: what, how far (done of total steps), a line to show.</summary>
public sealed record TrainingState(bool Running, string? Space, double Done, double Total, string? Message, DateTimeOffset? UpdatedAt);

/// <summary>The library at a glance.</summary>
public sealed record LibraryStatus(string Catalog, CatalogCounts Counts, IReadOnlyList<string> Spaces, ListeningCounts Listening,
    IReadOnlyList<ModelSummary> Models, ScanRecord? LastScan, ScanState Scan, TrainingState Training, IReadOnlyList<string> Roots);

/// <summary>A trained model as the status shows it.</summary>
public sealed record ModelSummary(string Space, string Kind, string Version, DateTimeOffset CreatedAt, string? MetricsJson);

/// <summary>
/// Counts, spaces, models, and whether a scan runs: the catalog's scan lock is held (by this server or another
/// process) and the last scan has not finished; its progress is the share of pending tracks done since it began.
/// </summary>
public sealed class StatusService(LibraryState state)
{
    private ScanProgress? _local;
    private int _pendingAtStart = -1;

    /// <summary>Progress of a scan this server runs (<c>POST /api/scan</c>).</summary>
    public void Report(ScanProgress? progress) => Volatile.Write(ref _local, progress);

    public LibraryStatus Status()
    {
        var library = state.Current;
        return state.WithCatalog(c =>
        {
            var counts = c.Counts();
            var last = c.LastScan();
            var scan = Scan(counts, last);
            var models = c.ListModels().Select(m => new ModelSummary(m.Space, m.Kind, m.Version, m.CreatedAt, m.MetricsJson)).ToList();
            return new LibraryStatus(state.CatalogPath, counts, library.AvailableSpaces, c.ListeningCounts(), models, last, scan, Training(), library.Roots);
        });
    }

    private ScanState Scan(CatalogCounts counts, ScanRecord? last)
    {
        if (Volatile.Read(ref _local) is { } p)
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

    /// <summary>A training verb reports its progress through <see cref="TrainingProgressFile"/>.</summary>
    private TrainingState Training() => TrainingProgressFile.Read(state.CatalogPath) is { } r
        ? new TrainingState(true, r.Space, r.Done, r.Total, r.Message, r.UpdatedAt)
        : new TrainingState(false, null, 0, 0, null, null);

    // A scan holds an exclusive lock on catalog.db.scan-lock; a shared one fails while it does.
    private bool LockHeld()
    {
        var path = state.CatalogPath + ".scan-lock";
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
