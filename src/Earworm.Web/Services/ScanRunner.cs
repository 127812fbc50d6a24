using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Recommend.Spaces;
using Earworm.Web.Library;
using Microsoft.Extensions.Hosting;

namespace Earworm.Web.Services;

/// <summary>
/// Re-scans the library's folders (every folder its scans were given; never a path from the request) in the background,
/// with the CLI's scanner, its progress shown by the status. Stops with the server; the scan resumes next time.
/// </summary>
public sealed class ScanRunner(LibraryState state, StatusService status, IHostApplicationLifetime lifetime, IAudioSpaceUpdater? audioSpace = null)
{
    private int _running;

    /// <summary>Starts a scan; false when one already runs here.</summary>
    /// <exception cref="UsageException">the catalog has no scanned folders.</exception>
    public bool Start()
    {
        var roots = state.Current.Roots.Where(Directory.Exists).ToList();
        if (roots.Count == 0) throw new UsageException("the catalog has no library folders to re-scan: run `earworm scan DIR` once");
        var tools = FfmpegTools.Locate();
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0) return false;
        _ = Task.Run(async () =>
        {
            try
            {
                using var catalog = CatalogStore.Open(state.CatalogPath);
                var scanner = new LibraryScanner(catalog, state.Excerpts, new FfmpegDecoder(tools),
                    new ScanOptions { Workers = Math.Max(1, Environment.ProcessorCount / 2) });
                await scanner.ScanAsync(roots, new Progress(status), lifetime.ApplicationStopping).ConfigureAwait(false);
                audioSpace?.EmbedNewTracks(lifetime.ApplicationStopping); // the new tracks join the audio space, as after `earworm scan`
            }
            catch (Exception e) when (e is EarwormException or IOException or OperationCanceledException) { }
            finally
            {
                status.Report(null);
                Volatile.Write(ref _running, 0);
            }
        });
        return true;
    }

    private sealed class Progress(StatusService status) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => status.Report(value);
    }
}
