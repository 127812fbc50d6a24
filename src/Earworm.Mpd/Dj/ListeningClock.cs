using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Dj;

/// <summary>A song the listener left (the player moved to another song or to none), and how far it had played.</summary>
public sealed record LeftSong(string File, long SongId, double ListenedSeconds, double? DurationSeconds)
{
    public ListenOutcome Outcome => ListenRule.Judge(ListenedSeconds, DurationSeconds);
}

/// <summary>
/// Follows the current song from MPD's status at each player event and says, when it changes, how long the one before
/// had played: its elapsed time when last seen plus, if it was playing then, the wall time since (MPD sends no event
/// while a song simply plays on). Pure: the caller gives the time. A song only ever seen stopped is not judged.
/// </summary>
public sealed class ListeningClock
{
    private Observed? _current;

    private sealed record Observed(string File, long SongId, double? DurationSeconds, double ElapsedSeconds, bool Playing,
        DateTimeOffset At, bool EverPlayed);

    /// <summary>The song now followed, if any.</summary>
    public long? CurrentSongId => _current?.SongId;

    /// <summary>Takes a new observation; answers the song that was left, if the current song changed.</summary>
    public LeftSong? Observe(MpdStatus status, MpdSong? song, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        bool playing = status.State == MpdPlayState.Play;
        long? id = song?.Id ?? status.SongId;
        LeftSong? left = null;
        if (_current is { } c && c.SongId != id)
        {
            if (c.EverPlayed) left = new LeftSong(c.File, c.SongId, Listened(c, now), c.DurationSeconds);
            _current = null;
        }
        if (id is { } songId && song is not null)
        {
            bool everPlayed = playing || (_current?.EverPlayed ?? false);
            _current = new Observed(song.File, songId, status.DurationSeconds ?? song.DurationSeconds, status.ElapsedSeconds ?? 0, playing,
                now, everPlayed);
        }
        return left;
    }

    /// <summary>Forgets the song followed (the connection was lost: what happened meanwhile is unknown, so it is not judged).</summary>
    public void Reset() => _current = null;

    private static double Listened(Observed c, DateTimeOffset now)
    {
        double listened = c.ElapsedSeconds + (c.Playing ? Math.Max(0, (now - c.At).TotalSeconds) : 0);
        return c.DurationSeconds is { } d && d > 0 ? Math.Min(listened, d) : listened;
    }
}
