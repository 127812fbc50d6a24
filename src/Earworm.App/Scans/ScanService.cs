using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App.Scans;

/// <summary>
/// Scans for every front end: <see cref="RunAsync"/> analyses folders into the catalog (incremental, resumable,
/// parallel; <see cref="LibraryScanner"/>), <see cref="StartAgain"/> re-scans the library's own folders in the
/// background (never a path from a request), its progress readable at <see cref="Progress"/> until it ends.
/// </summary>
public sealed class ScanService(CatalogLocation location)
{
    private int _running;
    private ScanProgress? _progress;

    /// <summary>A background scan's latest progress; null when none runs here.</summary>
    public ScanProgress? Progress => Volatile.Read(ref _progress);

    /// <summary>Analyses <paramref name="folders"/> into the catalog (created when new).</summary>
    /// <exception cref="UsageException">options out of range.</exception>
    /// <exception cref="PrerequisiteMissingException">ffmpeg is not installed.</exception>
    public async Task<ScanSummary> RunAsync(IReadOnlyList<string> folders, ScanOptions options, IProgress<ScanProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e);
        }
        var decoder = new FfmpegDecoder(FfmpegTools.Locate());
        using var catalog = location.Open();
        var scanner = new LibraryScanner(catalog, location.Excerpts, decoder, options);
        return await scanner.ScanAsync(folders, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a re-scan of <paramref name="roots"/> (the library's folders) in the background, with half the
    /// cores; false when one already runs here. It stops at <paramref name="stopping"/> (the scan resumes next time).</summary>
    /// <exception cref="UsageException">none of the folders exists.</exception>
    public bool StartAgain(IReadOnlyList<string> roots, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var existing = roots.Where(Directory.Exists).ToList();
        if (existing.Count == 0) throw new UsageException("the catalog has no library folders to re-scan: run `earworm scan DIR` once");
        FfmpegTools.Locate();
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0) return false;
        _ = Task.Run(async () =>
        {
            try
            {
                int workers = Math.Max(1, Environment.ProcessorCount / 2);
                await RunAsync(existing, new ScanOptions { Workers = workers },
                    new InlineProgress<ScanProgress>(p => Volatile.Write(ref _progress, p)), stopping).ConfigureAwait(false);
                // the new tracks join the audio space, as after `earworm scan`
                new Training.LibraryEmbedding(location).EmbedAfterScan(workers, null, stopping);
            }
            catch (Exception e) when (e is EarwormException or IOException or OperationCanceledException) { }
            finally
            {
                Volatile.Write(ref _progress, null);
                Volatile.Write(ref _running, 0);
            }
        }, CancellationToken.None);
        return true;
    }
}
