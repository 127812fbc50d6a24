namespace Earworm.Catalog;

/// <summary>What a listener can star besides songs (a starred song is a like: <see cref="IFeedbackRepository"/>).</summary>
public enum StarKind { Album, Artist }

public sealed record StarRecord(StarKind Kind, string Key, DateTimeOffset At);

/// <summary>What a listener can rate.</summary>
public enum RatedKind { Song, Album, Artist }

/// <summary>A rating from 1 to 5 (keys as the front end names them; a song's is its catalog id).</summary>
public sealed record RatingRecord(RatedKind Kind, string Key, int Rating, DateTimeOffset At);

/// <summary>A listener's playlist: its library tracks in order (entries without audio are left out).</summary>
public sealed record ListenerPlaylist(long Id, string Name, string? Owner, string Format, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<long> TrackIds)
{
    /// <summary>What its owner says of it in their apps.</summary>
    public string? Comment { get; init; }

    /// <summary>Other listeners see it (and play it; only its owner changes it).</summary>
    public bool Public { get; init; }
}

/// <summary>What listeners keep in their apps: starred albums and artists, and playlists they make, edit and delete
/// (stored with the imported ones, so collaborative filtering learns from both).</summary>
public interface IUserLibraryRepository
{
    /// <summary>Stars or unstars an album or artist (keys as the front end names them); the listener is created when new.</summary>
    void SetStar(string user, StarKind kind, string key, bool starred);

    /// <summary>A listener's starred albums and artists, newest first.</summary>
    IReadOnlyList<StarRecord> StarsOf(string user);

    /// <summary>Rates a song, album or artist from 1 to 5, replacing an earlier rating; 0 removes it. The listener is
    /// created when new.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a rating outside 0–5.</exception>
    void SetRating(string user, RatedKind kind, string key, int rating);

    /// <summary>A listener's ratings, newest first.</summary>
    IReadOnlyList<RatingRecord> RatingsOf(string user);

    /// <summary>The playlists a listener owns, by name.</summary>
    IReadOnlyList<ListenerPlaylist> PlaylistsOf(string user);

    ListenerPlaylist? FindPlaylist(long id);

    /// <summary>A new playlist of library tracks (the listener is created when new); its id.</summary>
    long CreatePlaylist(string user, string name, IReadOnlyList<long> trackIds);

    /// <summary>Renames a playlist (<paramref name="name"/> not null), replaces its entries (<paramref name="trackIds"/> not
    /// null), its comment (<paramref name="comment"/> not null; empty removes it) and whether others see it
    /// (<paramref name="isPublic"/> not null).</summary>
    /// <exception cref="CatalogException">there is no playlist with this id.</exception>
    void UpdatePlaylist(long id, string? name, IReadOnlyList<long>? trackIds, string? comment = null, bool? isPublic = null);

    /// <summary>Every listener's playlists they made public, by name.</summary>
    IReadOnlyList<ListenerPlaylist> PublicPlaylists();

    /// <summary>Removes a playlist; false when there was none.</summary>
    bool DeletePlaylist(long id);

    /// <summary>Keeps a listener's play queue (an app's, so another of their apps takes it up where it was), replacing
    /// the one kept before; an empty queue removes it. The listener is created when new.</summary>
    /// <param name="positionMs">where in the current track, in milliseconds.</param>
    /// <param name="changedBy">the app that kept it.</param>
    void SavePlayQueue(string user, IReadOnlyList<long> trackIds, long? currentTrackId, long positionMs, string? changedBy);

    /// <summary>A listener's kept play queue; null when none is.</summary>
    PlayQueueRecord? PlayQueueOf(string user);
}

/// <summary>A listener's play queue as an app kept it: the tracks in order, the current one and where in it.</summary>
public sealed record PlayQueueRecord(IReadOnlyList<long> TrackIds, long? CurrentTrackId, long PositionMs, DateTimeOffset ChangedAt, string? ChangedBy);
