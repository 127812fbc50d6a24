using System.Globalization;
using Earworm.App.Library;
using Earworm.Catalog;
using Microsoft.Extensions.Logging;

namespace Earworm.App.Events;

/// <summary>One track of a list shown: its track (a library track) or item (listening data without audio), the score
/// that ranked it, the probability with which the policy put it there, and what it was shown for when that differs
/// from track to track (a JSON object; null: the list's context).</summary>
public readonly record struct ShownTrack(long? TrackId, long? ItemId, double? Score, double Propensity = 1, string? Context = null);

/// <summary>
/// The application's side of the event log (<see cref="IEventLogRepository"/>): the services log what they show a
/// listener (recommendations, keep-playing lists) and what the listener then does (the feedback service's plays, skips,
/// likes), so every front end — CLI, web, OpenSubsonic, MPD — logs without code of its own. A list shown is logged
/// behind the answer: <see cref="Shown"/> queues it on the catalog's one serving writer (<see cref="LibraryCache.Writer"/>)
/// and returns, the writer commits it a moment later together with the lists of concurrent requests, and an outcome
/// queued after it is written after it, so it links to it. A serving request waiting for its list's commit left its
/// thread idle for the writer's turn, which cost more than the write itself on two cores. <see cref="FlushAsync"/>
/// waits for what was queued; disposing the services writes what is queued before they close. An outcome is
/// acknowledged only once committed (it survives the process being killed); a crash can take back the lists of the
/// last moment, never an acknowledged outcome. A list the catalog refuses is reported to the log (or standard error)
/// and counted (<see cref="ListsLost"/>). Thread-safe. Off (<see cref="Enabled"/> false) it logs nothing: the serving
/// benchmark's reference.
/// </summary>
public sealed class EventLog
{
    private readonly LibraryCache _library;
    private readonly ILogger<EventLog>? _logger;
    private readonly Action<Exception> _lost;
    private long _listsLost;

    public EventLog(LibraryCache library, bool enabled = true, ILogger<EventLog>? logger = null)
    {
        _library = library ?? throw new ArgumentNullException(nameof(library));
        Enabled = enabled;
        _logger = logger;
        _lost = Lost;
    }

    public bool Enabled { get; }

    /// <summary>Shown lists the catalog did not take (each reported as it happened).</summary>
    public long ListsLost => Interlocked.Read(ref _listsLost);

    /// <summary>Logs a list shown to <paramref name="user"/> (nothing when no listener is named, the list is empty or
    /// logging is off), behind the answer: it is queued, not yet committed, when this returns. The list's request id,
    /// or null when nothing was logged.</summary>
    public string? Shown(string? user, string surface, string policy, string policyVersion, IReadOnlyList<ShownTrack> tracks, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (!Enabled || string.IsNullOrWhiteSpace(user) || tracks.Count == 0) return null;
        string request = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        string name = user.Trim();
        var impressions = new Impression[tracks.Count];
        for (int i = 0; i < impressions.Length; i++)
        {
            var t = tracks[i];
            impressions[i] = new Impression(name, request, i, t.TrackId, t.ItemId, surface, policy, policyVersion, t.Propensity, t.Score, t.Context ?? context);
        }
        _library.Writer.Post(impressions, _lost);
        return request;
    }

    /// <summary>Ends once the lists and outcomes queued before it are committed (or reported lost).</summary>
    public Task FlushAsync() => _library.Writer.FlushAsync();

    private void Lost(Exception e)
    {
        Interlocked.Increment(ref _listsLost);
        if (_logger is not null) _logger.LogError(e, "a shown list was not logged in the event log");
        else Console.Error.WriteLine($"earworm: a shown list was not logged in the event log: {e.Message}");
    }

    /// <summary>Logs what a listener did with a track, on <paramref name="catalog"/> (a caller's connection, in the
    /// caller's turn to write: <see cref="LibraryCache.Write{T}"/>) or in a turn of its own; null when logging is off.</summary>
    public OutcomeRecord? Outcome(string user, long trackId, OutcomeKind kind, double? positionSeconds = null, ICatalog? catalog = null)
    {
        if (!Enabled) return null;
        var outcome = new Outcome(user, trackId, kind, positionSeconds);
        return catalog is null ? _library.Write(c => c.AppendOutcome(outcome)) : catalog.AppendOutcome(outcome);
    }

    /// <summary>The outcome a piece of feedback is: a play (30 s or more; to the end when <paramref name="completed"/>),
    /// a skip, a like, a dislike.</summary>
    public static OutcomeKind OutcomeOf(FeedbackKind kind, bool completed) => kind switch
    {
        FeedbackKind.Play => completed ? OutcomeKind.Complete : OutcomeKind.Play,
        FeedbackKind.Skip => OutcomeKind.Skip,
        FeedbackKind.Like => OutcomeKind.Like,
        FeedbackKind.Dislike => OutcomeKind.Dislike,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown feedback kind"),
    };
}
