using Earworm.Audio.Descriptors;
using Earworm.Audio.Excerpts;
using Earworm.Audio.Media;
using Earworm.Audio.Spectral;

namespace Earworm.Catalog.Scanning;

/// <summary>How the analysis of one track ended.</summary>
public abstract record AnalysisOutcome(TrackRecord Track)
{
    /// <summary>Decoded, log-mel computed, excerpts cached, and descriptors measured when the scan computes them.</summary>
    public sealed record Analysed(TrackRecord Track, AnalysedTrack Result, TrackDescriptors? Descriptors, double DecodeWallSeconds) : AnalysisOutcome(Track);
    /// <summary>Content unchanged and its excerpts cached, but the descriptors were missing or out of date: only they were recomputed.</summary>
    public sealed record Described(TrackRecord Track, long SizeBytes, long MtimeUnixMs, TrackDescriptors Descriptors) : AnalysisOutcome(Track);
    /// <summary>The content hash is the one already analysed (the file was only touched).</summary>
    public sealed record Unchanged(TrackRecord Track, long SizeBytes, long MtimeUnixMs) : AnalysisOutcome(Track);
    /// <summary>Not analysable; <paramref name="Reason"/> says why (ffmpeg's stderr tail or our diagnosis).</summary>
    public sealed record Failed(TrackRecord Track, long SizeBytes, long MtimeUnixMs, string? ContentHash, string Reason, MediaInfo? Media) : AnalysisOutcome(Track);
    /// <summary>The file disappeared after discovery.</summary>
    public sealed record Vanished(TrackRecord Track) : AnalysisOutcome(Track);
}

/// <summary>
/// Analyses one track: content hash, a streaming decode to 22 050 Hz mono by one ffmpeg that also describes the
/// file (container, duration, codec, tags, cover; see <see cref="FfmpegLog"/>), the log-mel of the excerpt windows
/// planned from the duration, the excerpts into the cache, and — from the same decoded chunks, no second
/// decode — the descriptors. Missing tags are guessed from the path (<see cref="TagGuess"/>). Only the samples of the planned windows are
/// kept, so memory stays small whatever the track's length.
/// One instance per worker (it owns a <see cref="LogMelComputer"/>).
/// </summary>
public sealed class TrackAnalyzer(FfmpegDecoder decoder, ExcerptStore excerpts, LogMelOptions logMel, ExcerptOptions excerptOptions,
    bool computeDescriptors = true)
{
    /// <summary>Shortest audio worth analysing: one FFT frame.</summary>
    public const double MinimumSeconds = 0.1;

    private readonly LogMelComputer _logMel = new(logMel);

    public async Task<AnalysisOutcome> AnalyseAsync(TrackRecord track, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        var path = track.Path;
        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (!file.Exists) return new AnalysisOutcome.Vanished(track);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AnalysisOutcome.Failed(track, track.SizeBytes, track.MtimeUnixMs, null, $"cannot read: {e.Message}", null);
        }
        long size = file.Length, mtime = new DateTimeOffset(file.LastWriteTimeUtc).ToUnixTimeMilliseconds();
        if (size == 0) return new AnalysisOutcome.Failed(track, size, mtime, null, "empty file (0 bytes)", null);

        string hash;
        try
        {
            hash = await ContentHash.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AnalysisOutcome.Failed(track, size, mtime, null, $"cannot read: {e.Message}", null);
        }
        if (hash == track.ContentHash && track.AnalysedAt is not null && track.AnalysisVersion == CatalogStore.AnalysisVersion
            && excerpts.Contains(hash))
        {
            if (!computeDescriptors || track.DescriptorVersion == TrackDescriptors.Version)
                return new AnalysisOutcome.Unchanged(track, size, mtime);
            try
            {
                var describer = new TrackDescriptorAnalyzer(TrackDescriptorOptions.ForSampleRate(logMel.SampleRate));
                await decoder.DecodeAsync(path, logMel.SampleRate, describer.Push, cancellationToken).ConfigureAwait(false);
                return new AnalysisOutcome.Described(track, size, mtime, describer.Result());
            }
            catch (MediaReadException e) when (!cancellationToken.IsCancellationRequested)
            {
                return new AnalysisOutcome.Failed(track, size, mtime, hash, e.Reason, null);
            }
            catch (MediaReadException e)
            {
                throw Interrupted(e, cancellationToken);
            }
        }

        // One ffmpeg describes and decodes the file: its dump of the input (container, duration, streams, tags)
        // arrives before the first samples, in time to plan the excerpt windows from the declared duration.
        MediaInfo? media = null;
        int rate = logMel.SampleRate;
        long Expected(MediaInfo? m) => m?.DurationSeconds is { } d ? (long)Math.Round(d * rate) : 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var (set, decoded, descriptors) = await DecodeAsync(path, m => Expected(media = m), cancellationToken).ConfigureAwait(false);
            if (decoded.Media is null || decoded.TagsTruncated)
            {
                // ffmpeg's dump was unreadable, or a tag reached its 255-character cut: ffprobe says it all (rare)
                media = await decoder.ProbeAsync(path, cancellationToken).ConfigureAwait(false);
            }
            media ??= decoded.Media!;
            long expected = Expected(media);
            double seconds = (double)decoded.SampleCount / rate;
            if (seconds < MinimumSeconds)
                return new AnalysisOutcome.Failed(track, size, mtime, hash, $"too short to analyse ({seconds:0.###} s)", media);
            if (decoded.Warnings.Length > 0 && expected > 0 && decoded.SampleCount < 0.9 * expected)
                return new AnalysisOutcome.Failed(track, size, mtime, hash,
                    $"truncated or corrupt: decoded {seconds:0.0} s of the {expected / (double)rate:0.0} s the file declares; ffmpeg: {decoded.Warnings}", media);
            if (set.Excerpts.Count == 0)
            {
                // the declared duration was wrong or absent (e.g. VBR without a header): plan again on the true length
                (set, decoded, descriptors) = await DecodeAsync(path, _ => decoded.SampleCount, cancellationToken).ConfigureAwait(false);
                seconds = (double)decoded.SampleCount / rate;
            }
            excerpts.Write(hash, set);
            var wall = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            var (tagged, guessed) = TagGuess.Apply(path, media);
            var result = new AnalysedTrack(size, mtime, hash, tagged, seconds, set.Excerpts.Count,
                set.Excerpts.Sum(e => e.Frames), decoded.Warnings.Length > 0 ? decoded.Warnings : null) { Guessed = guessed };
            return new AnalysisOutcome.Analysed(track, result, descriptors, wall);
        }
        catch (MediaReadException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new AnalysisOutcome.Failed(track, size, mtime, hash, e.Reason, e.Media ?? media);
        }
        catch (MediaReadException e)
        {
            throw Interrupted(e, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not IOException and not UnauthorizedAccessException)
        {
            // A defect in the analysis of one odd file must not end a scan of thousands: the track is recorded
            // as failed with the error, and `scan --retry-failed` redoes it once Earworm is fixed. I/O errors
            // (a full disk, a cache folder gone) still stop the scan: every later track would fail the same way.
            return new AnalysisOutcome.Failed(track, size, mtime, hash, $"analysis error ({e.GetType().Name}): {e.Message}", media);
        }
    }

    // A decode that failed while the scan was being interrupted (ffmpeg stopped by the same signal, or killed) says
    // nothing about the file: the track stays pending for the next scan, never failed.
    private static OperationCanceledException Interrupted(MediaReadException e, CancellationToken cancellationToken) =>
        new($"interrupted while reading {e.FilePath}", e, cancellationToken);

    // One decode; windows planned from the expected length (known once ffmpeg has described the file) collect their
    // samples as the PCM streams by (at most the excerpt budget, 60 s = 5 MB, is held), the descriptors see every
    // chunk, then each window's log-mel is computed.
    private async Task<(ExcerptSet Set, DecodeResult Decoded, TrackDescriptors? Descriptors)> DecodeAsync(
        string path, Func<MediaInfo?, long> expectedSamples, CancellationToken cancellationToken)
    {
        WindowCollector? windows = null;
        var describer = computeDescriptors ? new TrackDescriptorAnalyzer(TrackDescriptorOptions.ForSampleRate(logMel.SampleRate)) : null;
        var decoded = await decoder.DecodeAsync(path, logMel.SampleRate, media =>
        {
            long expected = expectedSamples(media);
            var w = windows = new WindowCollector(expected > 0 ? ExcerptPlanner.Plan(expected, logMel.SampleRate, excerptOptions) : []);
            return describer is null ? w.Push : chunk =>
            {
                w.Push(chunk);
                describer.Push(chunk);
            };
        }, cancellationToken).ConfigureAwait(false);
        var collected = windows ?? new WindowCollector([]);
        return (ExcerptExtractor.FromWindows(collected.Collected(), _logMel), decoded, describer?.Result());
    }
}
