namespace Earworm.Mpd.Dj;

/// <summary>What leaving a song says about it.</summary>
public enum ListenOutcome { Play, Skip }

/// <summary>
/// When a song that was left counts as a skip: heard for less than <see cref="SkipBeforeSeconds"/> or less than half its
/// length. A song played to its end (within <see cref="EndToleranceSeconds"/>, so a short song heard whole is a play)
/// and heard for at least one of those marks, or heard past both, is a play — Last.fm's scrobbling rule counts half a
/// song as heard, Spotify's exports count 30 s. Time heard is not the position: a song sought to its last seconds and
/// left there was heard for the seconds it played.
/// </summary>
public static class ListenRule
{
    public const double SkipBeforeSeconds = 30;

    /// <summary>Slack at the end: the DJ's clock and MPD's differ by the time an event takes to arrive.</summary>
    public const double EndToleranceSeconds = 2;

    /// <param name="listenedSeconds">How long the song was heard.</param>
    /// <param name="durationSeconds">Its length; null when MPD does not know it (a stream): only the 30 s mark applies.</param>
    /// <param name="positionSeconds">Where in the song it was left; null: where hearing it from the start would have left it.</param>
    public static ListenOutcome Judge(double listenedSeconds, double? durationSeconds, double? positionSeconds = null)
    {
        if (durationSeconds is { } d && d > 0 && (positionSeconds ?? listenedSeconds) >= d - EndToleranceSeconds
            && listenedSeconds >= Math.Min(SkipBeforeSeconds, d / 2) - EndToleranceSeconds) return ListenOutcome.Play;
        if (listenedSeconds < SkipBeforeSeconds) return ListenOutcome.Skip;
        if (durationSeconds is { } length && listenedSeconds < length / 2) return ListenOutcome.Skip;
        return ListenOutcome.Play;
    }
}
