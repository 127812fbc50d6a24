using System.Diagnostics;
using System.Threading.Channels;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Excerpts;
using Earworm.Audio.Media;
using Earworm.Audio.Spectral;

namespace Earworm.Catalog.Scanning;

/// <summary>Scan settings; defaults suit a desktop library.</summary>
public sealed record ScanOptions
{
    /// <summary>Tracks analysed at once (each runs one ffmpeg). Default: the number of cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Try again files that failed before, though unchanged.</summary>
    public bool RetryFailed { get; init; }
    /// <summary>Measure the descriptors (tempo, key, loudness, …) from the same decode. Default on.</summary>
    public bool Descriptors { get; init; } = true;
    public LogMelOptions LogMel { get; init; } = LogMelOptions.Default;
    public ExcerptOptions Excerpts { get; init; } = new();

    public void Validate()
    {
        if (Workers is < 1 or > 256) throw new UsageException($"workers must be between 1 and 256 (got {Workers})");
        LogMel.Validate();
        Excerpts.Validate();
    }
}

/// <summary>Where a scan stands, reported after every track.</summary>
public sealed record ScanProgress(
    string Phase, int Total, int Done, int Analysed, int Failed, int Unchanged, double AudioSeconds, TimeSpan Elapsed, string? Current)
{
    /// <summary>Audio analysed per wall-clock time (1.0 = real time).</summary>
    public double Speed => Elapsed.TotalSeconds > 0 ? AudioSeconds / Elapsed.TotalSeconds : 0;

    public TimeSpan? Eta => Done > 0 && Total > Done ? TimeSpan.FromSeconds(Elapsed.TotalSeconds / Done * (Total - Done)) : null;
}

/// <summary>A failed file and why.</summary>
public sealed record ScanFailure(string Path, string Reason);

/// <summary>What a scan did.</summary>
public sealed record ScanSummary(
    IReadOnlyList<string> Roots, DiscoveryOutcome Discovery, int Analysed, int Failed, int Unchanged, int Described, int Vanished,
    double AudioSeconds, TimeSpan Elapsed, bool Interrupted, IReadOnlyList<ScanFailure> Failures, int DiscoveryErrors)
{
    /// <summary>The files under the roots that are not tracks (not audio, unreadable…), with the reason; recorded in the catalog.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; init; } = [];

    public double Speed => Elapsed.TotalSeconds > 0 ? AudioSeconds / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Analyses a library into the catalog: discovery (walk, compare with the catalog, mark vanished files
/// missing) in one transaction, then the pending tracks on parallel workers, each result committed
/// on its own as it arrives. Interrupting (cancellation, a crash, kill -9) loses at most the tracks in
/// flight: they stay pending and the next scan picks them up.
/// </summary>
public sealed class LibraryScanner(ICatalog catalog, ExcerptStore excerpts, FfmpegDecoder decoder, ScanOptions options)
{
    public async Task<ScanSummary> ScanAsync(IEnumerable<string> roots, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roots);
        options.Validate();
        var canonicalRoots = LibraryWalker.CanonicalRoots(roots);
        var clock = Stopwatch.StartNew();
        using var scanLock = ScanLock.Acquire(catalog);

        progress?.Report(new ScanProgress("discovering", 0, 0, 0, 0, 0, 0, clock.Elapsed, null));
        var skipped = new List<SkippedFile>();
        var found = await Task.Run(() => LibraryWalker.Walk(canonicalRoots, skipped.Add, cancellationToken).ToList(),
            cancellationToken).ConfigureAwait(false);
        KeepTracksTracks(skipped, found);
        var discovery = catalog.RecordDiscovered(found, canonicalRoots, options.RetryFailed,
            options.Descriptors ? TrackDescriptors.Version : null);
        catalog.RecordSkipped(skipped, canonicalRoots);
        catalog.GuessMissingTags();
        catalog.ReadMissingFileTags();
        int walkErrors = skipped.Count(f => f.Reason.StartsWith(LibraryWalker.UnreadablePrefix, StringComparison.Ordinal));
        var pending = catalog.PendingAmong(found.Select(f => f.Path).ToHashSet(StringComparer.Ordinal));
        long scanId = catalog.StartScan(canonicalRoots);

        var results = Channel.CreateBounded<AnalysisOutcome>(new BoundedChannelOptions(options.Workers * 2) { SingleReader = true });
        var work = Channel.CreateUnbounded<TrackRecord>(new UnboundedChannelOptions { SingleWriter = true });
        foreach (var t in pending) work.Writer.TryWrite(t);
        work.Writer.Complete();

        var workers = Enumerable.Range(0, Math.Min(options.Workers, Math.Max(1, pending.Count))).Select(_ => Task.Run(async () =>
        {
            var analyzer = new TrackAnalyzer(decoder, excerpts, options.LogMel, options.Excerpts, options.Descriptors);
            await foreach (var track in work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var outcome = await analyzer.AnalyseAsync(track, cancellationToken).ConfigureAwait(false);
                // never drop a finished outcome: the writer drains until the workers stop
                await results.Writer.WriteAsync(outcome, CancellationToken.None).ConfigureAwait(false);
            }
        }, cancellationToken)).ToList();
        var closer = Task.Run(async () =>
        {
            try { await Task.WhenAll(workers).ConfigureAwait(false); }
            finally { results.Writer.TryComplete(); }
        }, CancellationToken.None);

        // The single writer: every outcome is committed the moment it arrives.
        int analysed = 0, failed = 0, unchanged = 0, described = 0, vanished = 0, done = 0;
        double audioSeconds = 0;
        var failures = new List<ScanFailure>();
        await foreach (var outcome in results.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            switch (outcome)
            {
                case AnalysisOutcome.Analysed a:
                    catalog.SaveAnalysed(a.Track.Id, a.Result, a.Descriptors);
                    analysed++;
                    audioSeconds += a.Result.DecodedSeconds;
                    break;
                case AnalysisOutcome.Unchanged u:
                    catalog.SaveUnchangedContent(u.Track.Id, u.SizeBytes, u.MtimeUnixMs);
                    unchanged++;
                    break;
                case AnalysisOutcome.Described d:
                    catalog.SaveDescriptors(d.Track.Id, d.Descriptors);
                    catalog.SaveUnchangedContent(d.Track.Id, d.SizeBytes, d.MtimeUnixMs);
                    described++;
                    break;
                case AnalysisOutcome.Failed f:
                    catalog.SaveFailed(f.Track.Id, f.SizeBytes, f.MtimeUnixMs, f.ContentHash, f.Reason, f.Media);
                    failures.Add(new ScanFailure(f.Track.Path, f.Reason));
                    failed++;
                    break;
                case AnalysisOutcome.Vanished v:
                    catalog.MarkMissing(v.Track.Id);
                    vanished++;
                    break;
            }
            done++;
            progress?.Report(new ScanProgress("analysing", pending.Count, done, analysed, failed, unchanged, audioSeconds, clock.Elapsed, outcome.Track.Path));
        }

        bool interrupted = false;
        try
        {
            await closer.ConfigureAwait(false);
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        catalog.FinishScan(scanId, interrupted ? "interrupted" : "completed", analysed, failed, unchanged,
            discovery.Missing + vanished, audioSeconds);
        return new ScanSummary(canonicalRoots, discovery, analysed, failed, unchanged, described, vanished, audioSeconds, clock.Elapsed,
            interrupted, failures, walkErrors) { Skipped = skipped };
    }

    // A file named on its own is scanned whatever it holds, so a cover or a text can be a track (failed: "no audio
    // stream"), or audio the sniffer does not know an analysed one. When its folder is scanned later it stays that track,
    // in the state its own scan left, rather than a skipped file beside a track marked missing while the file is there.
    private void KeepTracksTracks(List<SkippedFile> skipped, List<FoundFile> found)
    {
        skipped.RemoveAll(f =>
        {
            if (f.SizeBytes is not { } size || f.MtimeUnixMs is not { } mtime || catalog.FindByPath(f.Path) is null) return false;
            found.Add(new FoundFile(f.Path, size, mtime));
            return true;
        });
    }
}
