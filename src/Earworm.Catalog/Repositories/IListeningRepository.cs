using Earworm.Catalog.Import;

namespace Earworm.Catalog;

/// <summary>Listening data and imports: users, items (what was heard, linked to tracks when matched), interactions,
/// playlists and the record of every imported file.</summary>
public interface IListeningRepository
{
    /// <summary>Imports parsed sources all or nothing (one transaction), idempotently; one outcome per source.</summary>
    IReadOnlyList<ImportOutcome> Import(IReadOnlyList<ImportSource> sources);

    ListeningCounts ListeningCounts();

    /// <summary>The listeners with how much of their listening the catalog holds: imported, and heard in the apps
    /// (plays and skips recorded as feedback by the web player, OpenSubsonic apps and the DJ count as plays and skips,
    /// and their times as listens), by name (<see cref="NameOrder"/>).</summary>
    IReadOnlyList<UserSummary> ListUsers();

    ImportRecord? LastImport();

    /// <summary>Every interaction (skips included, count 0), for training and evaluation.</summary>
    IReadOnlyList<ListeningRecord> LoadListening();

    IReadOnlyList<PlaylistItems> LoadPlaylists();

    /// <summary>Every item by id.</summary>
    IReadOnlyDictionary<long, ItemInfo> LoadItems();

    long? FindUserId(string name);

    /// <summary>The item linked to a library track, if any.</summary>
    long? ItemOfTrack(long trackId);

    /// <summary>Whether the catalog knows a listener by this name (from imports or feedback).</summary>
    bool UserExists(string user);

    /// <summary>The library tracks a user listened to most recently, newest first, each once.</summary>
    IReadOnlyList<long> RecentTracksOf(string user, int limit);

    /// <summary>An identity of the listening data (interactions and playlists) that changes whenever it does; models
    /// record it so a stale model is recognised.</summary>
    string ListeningDataVersion();
}
