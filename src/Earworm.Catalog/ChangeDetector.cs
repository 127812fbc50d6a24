namespace Earworm.Catalog;

/// <summary>A file seen on disk by a scan: canonical path, size and modification time.</summary>
public sealed record FoundFile(string Path, long SizeBytes, long MtimeUnixMs);

/// <summary>What a scan must do about one file.</summary>
public enum ScanAction
{
    /// <summary>Not in the catalog: insert as pending.</summary>
    Add,
    /// <summary>Size or time changed, or the analysis or descriptors are out of date: back to pending (the
    /// worker's content hash may still find the content unchanged and skip the decode, or redo only the descriptors).</summary>
    Reanalyse,
    /// <summary>Known, unchanged and done (analysed, or failed and not retried): nothing to do.</summary>
    Skip,
    /// <summary>Still pending from an earlier, interrupted scan: analyse it now.</summary>
    Resume,
    /// <summary>Was missing and is back unchanged: restore its earlier state without work.</summary>
    Restore,
}

/// <summary>The incremental-scan rule, as a pure function (tested without a disk or a database).</summary>
public static class ChangeDetector
{
    /// <param name="descriptorVersion">the descriptor version the scan computes; null when it computes none.</param>
    public static ScanAction Classify(TrackRecord? known, FoundFile found, int analysisVersion, int? descriptorVersion, bool retryFailed)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (known is null) return ScanAction.Add;
        bool sameFile = known.SizeBytes == found.SizeBytes && known.MtimeUnixMs == found.MtimeUnixMs;
        if (!sameFile) return ScanAction.Reanalyse;
        bool analysisCurrent = known.AnalysisVersion == analysisVersion;
        return known.Status switch
        {
            TrackStatus.Pending => ScanAction.Resume,
            TrackStatus.Analysed => analysisCurrent && DescriptorsCurrent(known, descriptorVersion) ? ScanAction.Skip : ScanAction.Reanalyse,
            TrackStatus.Failed => retryFailed || !analysisCurrent ? ScanAction.Reanalyse : ScanAction.Skip,
            TrackStatus.Missing => analysisCurrent && known.AnalysedAt is not null && DescriptorsCurrent(known, descriptorVersion)
                ? ScanAction.Restore : ScanAction.Reanalyse,
            _ => ScanAction.Reanalyse,
        };
    }

    // A scan without descriptors accepts whatever is stored; one with them wants the current version.
    private static bool DescriptorsCurrent(TrackRecord known, int? wanted) => wanted is null || known.DescriptorVersion == wanted;

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or inside it (both canonical).</summary>
    public static bool IsUnder(string path, string root)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(root);
        if (path.Length == root.Length) return string.Equals(path, root, StringComparison.Ordinal);
        var prefix = root.EndsWith('/') ? root : root + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
