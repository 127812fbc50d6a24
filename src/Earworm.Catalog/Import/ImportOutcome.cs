namespace Earworm.Catalog.Import;

/// <summary>What importing one file did to the catalog.</summary>
public sealed record ImportOutcome
{
    public required long ImportId { get; init; }
    public required string Format { get; init; }
    public required string Path { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>Data rows, JSON records or playlist entries read.</summary>
    public int Rows { get; init; }

    /// <summary>An earlier import of a file with the same format and content, if any.</summary>
    public long? SameAsImportId { get; init; }

    /// <summary>Distinct users the file names, and of those how many were new.</summary>
    public int Users { get; init; }
    public int UsersAdded { get; init; }

    /// <summary>Distinct items the file refers to; how many were new; how many are catalog tracks.</summary>
    public int Items { get; init; }
    public int ItemsAdded { get; init; }
    public int ItemsMatched { get; init; }

    /// <summary>Interactions written: new ones, aggregated counts changed since an earlier import, and records
    /// already there (skipped).</summary>
    public int InteractionsAdded { get; init; }
    public int InteractionsUpdated { get; init; }
    public int DuplicatesSkipped { get; init; }

    /// <summary>Of the interactions added, skips (count 0).</summary>
    public int Skips { get; init; }

    public int PlaylistsAdded { get; init; }
    public int PlaylistsUpdated { get; init; }
    public int PlaylistsUnchanged { get; init; }
    public int PlaylistEntries { get; init; }

    /// <summary>Item tags added or whose count changed.</summary>
    public int TagsWritten { get; init; }

    /// <summary>Rows left out on purpose, by reason.</summary>
    public IReadOnlyDictionary<string, int> Ignored { get; init; } = new Dictionary<string, int>();
}
