namespace Earworm.Catalog;

/// <summary>Where a track stands in the analysis: found but not yet done, done, given up on, or gone from disk.</summary>
public enum TrackStatus { Pending, Analysed, Failed, Missing }

/// <summary>One audio file in the catalog, as stored.</summary>
public sealed record TrackRecord
{
    public required long Id { get; init; }
    public required string Path { get; init; }
    public required long SizeBytes { get; init; }
    public required long MtimeUnixMs { get; init; }
    public string? ContentHash { get; init; }
    public required TrackStatus Status { get; init; }
    /// <summary>Why analysis failed (ffmpeg's stderr tail or our diagnosis); null unless failed.</summary>
    public string? Failure { get; init; }
    /// <summary>What ffmpeg complained about on a file it still decoded.</summary>
    public string? Warnings { get; init; }
    public string? Container { get; init; }
    public string? Codec { get; init; }
    public double? DurationSeconds { get; init; }
    public int? SourceSampleRateHz { get; init; }
    public int? SourceChannels { get; init; }
    public long? BitRate { get; init; }
    public string? Title { get; init; }
    public string? Artist { get; init; }
    public string? Album { get; init; }
    public string? AlbumArtist { get; init; }
    public string? Genre { get; init; }
    public int? TrackNumber { get; init; }
    public int? Year { get; init; }
    /// <summary>Which of title, artist and album were guessed from the path (folder, file name), not read from tags.</summary>
    public Scanning.GuessedTags GuessedTags { get; init; }
    /// <summary>Whether the file embeds a picture (cover art); null when it was analysed before Earworm recorded it.</summary>
    public bool? HasPicture { get; init; }
    public int? ExcerptCount { get; init; }
    public int? ExcerptFrames { get; init; }
    /// <summary>The <see cref="CatalogStore.AnalysisVersion"/> that produced this row's analysis.</summary>
    public int? AnalysisVersion { get; init; }
    /// <summary>The <see cref="Earworm.Audio.Descriptors.TrackDescriptors.Version"/> of the stored descriptors; null when none.</summary>
    public int? DescriptorVersion { get; init; }
    public DateTimeOffset? AnalysedAt { get; init; }
}

/// <summary>Counts by status and the sizes on disk, for <c>earworm status</c>.</summary>
public sealed record CatalogCounts(int Analysed, int Failed, int Missing, int Pending, double AnalysedAudioSeconds)
{
    public int Total => Analysed + Failed + Missing + Pending;
    /// <summary>Files under the scanned folders that are not tracks (not audio, unreadable): see <see cref="SkippedFile"/>.</summary>
    public int Skipped { get; init; }
}

/// <summary>A file under a scanned folder that the scan passed over, and why (not audio, unreadable, a broken link).</summary>
public sealed record SkippedFile(string Path, long? SizeBytes, long? MtimeUnixMs, string Reason);
