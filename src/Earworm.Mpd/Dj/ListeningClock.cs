using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Dj;

/// <summary>A song the listener left (the player moved to another song or to none): how long it was heard, and where
/// in it the player was (the two differ when the listener sought in it).</summary>
public sealed record LeftSong(string File, long SongId, double ListenedSeconds, double? DurationSeconds, double? PositionSeconds = null)
{
    public ListenOutcome Outcome => ListenRule.Judge(ListenedSeconds, DurationSeconds, PositionSeconds);
}

/// <summary>
/// Follows the current song from MPD's status at each player event and says, when it changes, how long the one before
/// was heard: the time it played between the events (MPD sends none while a song simply plays on), from where it was
/// when first seen, so seeking forward is not hearing. Pure: the caller gives the time. A song only ever seen stopped is
/// not judged, nor one left early for no song at all (the queue cleared, or stopped at its end): the listener stopped
/// listening, which says nothing against the song; one played to its end before the queue ran out is a play.
/// </summary>
public sealed class ListeningClock
{
    private Observed? _current;

    private sealed record Observed(string File, long SongId, double? DurationSeconds, double ElapsedSeconds, bool Playing,
        DateTimeOffset At, bool EverPlayed, double HeardSeconds);

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
            if (c.EverPlayed)
            {
                var gone = new LeftSong(c.File, c.SongId, Heard(c, now), c.DurationSeconds, Position(c, now));
                if (id is not null || gone.Outcome == ListenOutcome.Play) left = gone;
            }
            _current = null;
        }
        if (id is { } songId && song is not null)
        {
            bool everPlayed = playing || (_current?.EverPlayed ?? false);
            double elapsed = status.ElapsedSeconds ?? 0;
            // the same song again: what it was heard until now; a song first seen: heard up to where it is (the DJ
            // may start, or reconnect, in the middle of it)
            double heard = _current is { } same ? Heard(same, now) : elapsed;
            _current = new Observed(song.File, songId, status.DurationSeconds ?? song.DurationSeconds, elapsed, playing, now, everPlayed, heard);
        }
        return left;
    }

    /// <summary>Forgets the song followed (the connection was lost: what happened meanwhile is unknown, so it is not judged).</summary>
    public void Reset() => _current = null;

    private static double Played(Observed c, DateTimeOffset now) => c.Playing ? Math.Max(0, (now - c.At).TotalSeconds) : 0;

    private static double Heard(Observed c, DateTimeOffset now) => Capped(c, c.HeardSeconds + Played(c, now));

    private static double Position(Observed c, DateTimeOffset now) => Capped(c, c.ElapsedSeconds + Played(c, now));

    private static double Capped(Observed c, double seconds) => c.DurationSeconds is { } d && d > 0 ? Math.Min(seconds, d) : seconds;
}
