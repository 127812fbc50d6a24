namespace Earworm.Catalog;

/// <summary>
/// A catalog: every area of what Earworm stores, over one connection (a unit of work; not shared between threads).
/// <see cref="CatalogStore"/> is the SQLite implementation; another back end (PostgreSQL is planned) implements the
/// repositories and passes the same contract tests (<c>tests/Earworm.Catalog.Tests/Contract</c>).
/// </summary>
public interface ICatalog : ITrackRepository, IListeningRepository, IModelRepository, IFeedbackRepository, IAccountRepository,
    IUserLibraryRepository, ITagRepository, IEventLogRepository, IDisposable
{
    /// <summary>The database file; null for an in-memory catalog or a server back end.</summary>
    string? FilePath { get; }

    /// <summary>The schema version the store holds (migrations bring it up to date when it is opened).</summary>
    int SchemaVersion { get; }

    /// <summary>A number that changes whenever what a library view reads changes — tracks, scans, descriptors, skipped
    /// files, models and their vectors, accounts and keys — whoever wrote it, and stays put when only listening data,
    /// feedback, stars or playlists change.</summary>
    long LibraryGeneration();
}
