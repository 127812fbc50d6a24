using Earworm.App.Feedback;
using Earworm.App.Playlists;
using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Dj;

/// <summary>How the auto-DJ plays: where MPD is, how much it keeps queued, and how it picks.</summary>
public sealed record DjOptions
{
    public const int MaxQueueLength = 50;
    public const double MaxHistoryHours = 24 * 365;

    public required MpdAddress Address { get; init; }
    public string? Password { get; init; }

    /// <summary>Songs kept queued after the current one.</summary>
    public int QueueLength { get; init; } = 2;

    /// <summary>The space the picks walk; null: the best the library has.</summary>
    public string? Space { get; init; }

    /// <summary>How many of the last songs steer the next pick.</summary>
    public int KeepOn { get; init; } = 3;

    /// <summary>Randomness of the picks (<see cref="KeepPlayingRequest.Drunk"/>).</summary>
    public double Drunk { get; init; }

    /// <summary>Songs played or skipped within this many hours are not queued again.</summary>
    public double HistoryHours { get; init; } = 24;

    /// <summary>Artists never queued (case ignored).</summary>
    public IReadOnlyList<string> BlockArtists { get; init; } = [];

    /// <summary>Whose plays and skips these are (their dislikes never play).</summary>
    public string User { get; init; } = DefaultUser;

    /// <summary>MPD's music directory as Earworm sees it; null: read from MPD (local socket) or inferred from the paths.</summary>
    public string? MusicDirectory { get; init; }

    /// <summary>The longest wait between attempts to reach MPD again.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait; it doubles at each failed attempt.</summary>
    public TimeSpan FirstReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The listener when none is named: the web player's too.</summary>
    public const string DefaultUser = "me";

    /// <exception cref="UsageException">a value out of its range, or a music directory that does not exist.</exception>
    public DjOptions Validate()
    {
        if (QueueLength is < 1 or > MaxQueueLength) throw new UsageException($"--queue-length must be 1–{MaxQueueLength}");
        if (KeepOn is < 1 or > PlaylistLimits.MaxKeepOn) throw new UsageException($"--keep-on must be 1–{PlaylistLimits.MaxKeepOn}");
        if (!(Drunk >= 0 && Drunk <= PlaylistLimits.MaxDrunk)) throw new UsageException($"--drunk must be 0–{PlaylistLimits.MaxDrunk} ({PlaylistLimits.MaxDrunk} is nearly random)");
        if (!(HistoryHours >= 0 && HistoryHours <= MaxHistoryHours)) throw new UsageException($"--history-hours must be 0–{MaxHistoryHours}");
        if (string.IsNullOrWhiteSpace(User) || User.Trim().Length > FeedbackService.MaxUserLength)
            throw new UsageException($"--user must be a name of 1–{FeedbackService.MaxUserLength} characters");
        if (BlockArtists.Any(string.IsNullOrWhiteSpace)) throw new UsageException("--block-artist needs a name");
        if (MusicDirectory is { } dir && !Directory.Exists(dir))
            throw new UsageException($"--music-dir {dir} is not a folder (give MPD's music_directory as this machine sees it)");
        if (FirstReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < FirstReconnectDelay) throw new UsageException("reconnect delays must be positive, the first no longer than the last");
        return this;
    }
}

/// <summary>What the DJ did or saw, as a line for the log.</summary>
/// <param name="Kind"><c>connected</c>, <c>lost</c>, <c>note</c>, <c>queued</c>, <c>removed</c>, <c>play</c>, <c>skip</c>, <c>waiting</c>.</param>
/// <param name="TrackId">The catalog track it is about, if any.</param>
public sealed record DjEvent(DateTimeOffset At, string Kind, string Message, long? TrackId = null);
