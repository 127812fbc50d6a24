namespace Earworm.Mpd.Dj;

/// <summary>What leaving a song says about it.</summary>
public enum ListenOutcome { Play, Skip }

/// <summary>
/// When a song that was left counts as a skip: left before <see cref="SkipBeforeSeconds"/> or before half its length.
/// A song heard to its end (within <see cref="EndToleranceSeconds"/>, so a short song heard whole is a play) or past both
/// marks is a play — Last.fm's scrobbling rule counts half a song as heard, Spotify's exports count 30 s.
/// </summary>
public static class ListenRule
{
    public const double SkipBeforeSeconds = 30;

    /// <summary>Slack at the end: the DJ's clock and MPD's differ by the time an event takes to arrive.</summary>
    public const double EndToleranceSeconds = 2;

    /// <param name="listenedSeconds">How far into the song it was left.</param>
    /// <param name="durationSeconds">Its length; null when MPD does not know it (a stream): only the 30 s mark applies.</param>
    public static ListenOutcome Judge(double listenedSeconds, double? durationSeconds)
    {
        if (durationSeconds is { } d && d > 0 && listenedSeconds >= d - EndToleranceSeconds) return ListenOutcome.Play;
        if (listenedSeconds < SkipBeforeSeconds) return ListenOutcome.Skip;
        if (durationSeconds is { } length && listenedSeconds < length / 2) return ListenOutcome.Skip;
        return ListenOutcome.Play;
    }
}
