namespace Earworm.Subsonic.Hosting;

/// <summary>A song a listener's app said is playing (a scrobble with <c>submission=false</c>).</summary>
public sealed record PlayingNow(string User, string Player, int PlayerId, long TrackId, DateTimeOffset Since);

/// <summary>
/// What each listener's apps are playing, for getNowPlaying: kept in memory, as other Subsonic servers do (a notice is
/// worth nothing after a restart), one entry per listener and app, each forgotten once its song would have ended (its
/// duration after the notice, <see cref="Unknown"/> when the duration is unknown) or the app submits the play.
/// </summary>
public sealed class NowPlaying(TimeProvider time)
{
    /// <summary>How long a notice lasts when the song's duration is unknown.</summary>
    public static readonly TimeSpan Unknown = TimeSpan.FromMinutes(10);

    private readonly Dictionary<(string User, string Player), (PlayingNow Entry, DateTimeOffset Until)> _entries = [];
    private readonly Dictionary<string, int> _playerIds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Playing(string user, string player, long trackId, double? durationSeconds)
    {
        var now = time.GetUtcNow();
        var lasts = durationSeconds is double d && d > 0 ? TimeSpan.FromSeconds(d) : Unknown;
        lock (_lock)
        {
            if (!_playerIds.TryGetValue(player, out int id)) _playerIds[player] = id = _playerIds.Count + 1;
            _entries[(user, player)] = (new PlayingNow(user, player, id, trackId, now), now + lasts);
        }
    }

    /// <summary>The app finished the song (a submitted scrobble of it): its notice goes.</summary>
    public void Played(string user, string player, long trackId)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((user, player), out var e) && e.Entry.TrackId == trackId) _entries.Remove((user, player));
        }
    }

    /// <summary>Every listener's current songs, newest first (the expired ones forgotten).</summary>
    public IReadOnlyList<PlayingNow> Current()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var key in _entries.Where(e => e.Value.Until < now).Select(e => e.Key).ToList()) _entries.Remove(key);
            return [.. _entries.Values.Select(e => e.Entry).OrderByDescending(e => e.Since)];
        }
    }

    public TimeSpan Ago(PlayingNow entry) => time.GetUtcNow() - (entry ?? throw new ArgumentNullException(nameof(entry))).Since;
}
