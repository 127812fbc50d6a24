using Earworm.App;
using Earworm.Catalog;
using Earworm.Subsonic.Library;
using Microsoft.AspNetCore.Http;

namespace Earworm.Subsonic.Hosting;

/// <summary>What an endpoint is given: the parameters, the signed-in listener, the application layer and the
/// library as the API browses it.</summary>
public sealed class SubsonicRequest(HttpContext http, SubsonicParameters parameters, string? user, EarwormServices services, ListenerStates listeners,
    NowPlaying nowPlaying)
{
    private SubsonicLibrary? _library;
    private ListenerState? _listener;

    public HttpContext Http { get; } = http;
    public SubsonicParameters P { get; } = parameters;

    /// <summary>The account signed in (null only for the endpoints open to all).</summary>
    public string User { get; } = user ?? "";

    public EarwormServices Services { get; } = services;
    public CancellationToken Aborted => Http.RequestAborted;

    public SubsonicLibrary Library => _library ??= SubsonicLibrary.Of(Services.Library.Current);

    /// <summary>The listener's stars, likes, dislikes and the library's play counts.</summary>
    public ListenerState Listener => _listener ??= listeners.Of(Services, User);

    /// <summary>What the listeners' apps are playing now.</summary>
    public NowPlaying NowPlaying { get; } = nowPlaying;

    /// <summary>Records that this request changed the listener's data, so the next request reads it again.</summary>
    public void Changed() => listeners.Changed();

    /// <summary>The song an id names.</summary>
    /// <exception cref="SubsonicException">missing (10) or not a song of the library (70).</exception>
    public TrackRecord Song(string parameter = "id")
    {
        var id = P.Require(parameter);
        return Library.Song(id) ?? throw SubsonicException.NotFound($"song '{SubsonicException.Clip(id)}'");
    }
}

/// <summary>A listener's data as entries show it, read again after any change to the catalog (stars and ratings must
/// show at once after a request sets them, while the catalog is looked at only once a second).</summary>
public sealed record ListenerState(IReadOnlyDictionary<long, DateTimeOffset> LikedTracks, IReadOnlySet<long> DislikedTracks,
    IReadOnlyDictionary<(StarKind, string), DateTimeOffset> Stars, IReadOnlyDictionary<long, double> PlayCounts,
    IReadOnlyDictionary<long, DateTimeOffset> LastPlayed, IReadOnlyDictionary<(RatedKind, string), int> Ratings)
{
    /// <summary>A song's rating as apps show it: the listener's, else 1 for a song disliked elsewhere (the web app, the
    /// CLI), else none.</summary>
    public int? SongRating(long trackId) =>
        Ratings.TryGetValue((RatedKind.Song, trackId.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var r) ? r
        : DislikedTracks.Contains(trackId) ? 1 : null;

    public int? Rating(RatedKind kind, string key) => Ratings.TryGetValue((kind, key), out var r) ? r : null;
}

/// <summary>Each listener's latest state, read again when the catalog has changed (any writer's change, as
/// <see cref="App.Library.LibraryCache.Changes"/> counts them) or a request through the API wrote (seen at once).
/// One state per listener is kept: an older one is never read again.</summary>
public sealed class ListenerStates
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Changes, long Version, ListenerState State)> _latest =
        new(StringComparer.Ordinal);
    private long _version;

    public void Changed() => Interlocked.Increment(ref _version);

    public ListenerState Of(EarwormServices services, string user)
    {
        ArgumentNullException.ThrowIfNull(services);
        long version = Volatile.Read(ref _version);
        long changes = services.Library.Changes;
        if (_latest.TryGetValue(user, out var latest) && latest.Changes == changes && latest.Version == version) return latest.State;
        var state = services.Library.WithCatalog(c =>
        {
            var feedback = c.FeedbackOf(user, 1_000_000);
            var liked = new Dictionary<long, DateTimeOffset>();
            var lastPlayed = new Dictionary<long, DateTimeOffset>();
            foreach (var f in feedback) // newest first
            {
                if (f.Kind == FeedbackKind.Like) liked.TryAdd(f.TrackId, f.At);
                if (f.Kind == FeedbackKind.Play) lastPlayed.TryAdd(f.TrackId, f.At);
            }
            var disliked = feedback.Where(f => f.Kind == FeedbackKind.Dislike).Select(f => f.TrackId).ToHashSet();
            var stars = c.StarsOf(user).ToDictionary(s => (s.Kind, s.Key), s => s.At);
            var ratings = c.RatingsOf(user).ToDictionary(r => (r.Kind, r.Key), r => r.Rating);
            return new ListenerState(liked, disliked, stars, c.PlayCounts(), lastPlayed, ratings);
        });
        _latest[user] = (changes, version, state);
        return state;
    }
}
