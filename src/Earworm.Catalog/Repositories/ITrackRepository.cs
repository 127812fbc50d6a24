using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog;

/// <summary>Tracks and scans: what the scanner finds, analyses and measures, and what every verb reads of the library.</summary>
public interface ITrackRepository
{
    /// <summary>Every track, optionally of one status, ordered by path.</summary>
    IReadOnlyList<TrackRecord> ListTracks(TrackStatus? status = null);

    TrackRecord? FindById(long id);

    /// <summary>The track of a canonical path.</summary>
    TrackRecord? FindByPath(string path);

    /// <summary>An analysed track with this content (the same bytes are the same track).</summary>
    TrackRecord? FindAnalysedByHash(string contentHash);

    /// <summary>Counts by status and the audio analysed, in seconds.</summary>
    CatalogCounts Counts();

    /// <summary>Records what a scan found under <paramref name="roots"/> in one transaction: new files pending,
    /// changed ones pending again, returning ones restored, tracks under the roots not found marked missing.</summary>
    /// <param name="descriptorVersion">the descriptor version the scan computes (tracks with another are redone); null for none.</param>
    DiscoveryOutcome RecordDiscovered(IReadOnlyCollection<FoundFile> found, IReadOnlyList<string> roots, bool retryFailed, int? descriptorVersion = null);

    /// <summary>The files a scan of <paramref name="roots"/> passed over (not audio, unreadable…) replace those recorded
    /// under the same roots, at once.</summary>
    void RecordSkipped(IReadOnlyCollection<SkippedFile> skipped, IReadOnlyList<string> roots);

    /// <summary>Every file a scan passed over, with the reason, ordered by path.</summary>
    IReadOnlyList<SkippedFile> ListSkipped();

    /// <summary>Fills in, from the path, the title, artist and album of analysed tracks never looked at for guesses
    /// (<see cref="TagGuess"/>), without decoding them again; how many were looked at.</summary>
    int GuessMissingTags();

    /// <summary>The pending tracks among these paths.</summary>
    IReadOnlyList<TrackRecord> PendingAmong(IReadOnlyCollection<string> paths);

    /// <summary>Stores a finished analysis (and its descriptors, when computed) at once; the track becomes analysed.</summary>
    void SaveAnalysed(long id, AnalysedTrack a, TrackDescriptors? descriptors = null);

    /// <summary>Records that a file could not be analysed, and why.</summary>
    void SaveFailed(long id, long sizeBytes, long mtimeUnixMs, string? contentHash, string reason, MediaInfo? media = null);

    /// <summary>A file touched but not changed (same content): its new size and time, nothing else.</summary>
    void SaveUnchangedContent(long id, long sizeBytes, long mtimeUnixMs);

    void MarkMissing(long id);

    /// <summary>Stores (or replaces) a track's descriptors.</summary>
    void SaveDescriptors(long trackId, TrackDescriptors descriptors);

    TrackDescriptors? FindDescriptors(long trackId);

    /// <summary>The descriptors of every track that has them, by track id.</summary>
    IReadOnlyDictionary<long, TrackDescriptors> AllDescriptors();

    /// <summary>Records the start of a scan over <paramref name="roots"/>; its id.</summary>
    long StartScan(IReadOnlyList<string> roots);

    /// <param name="outcome">"completed", "interrupted" or "failed".</param>
    void FinishScan(long scanId, string outcome, int analysed, int failed, int unchanged, int missing, double audioSeconds);

    /// <summary>The most recent scan, if any.</summary>
    ScanRecord? LastScan();

    /// <summary>Every folder any scan was given, oldest first, without repeats: the library's extent.</summary>
    IReadOnlyList<string> ScannedRoots();
}
