using System.Globalization;
using Earworm.App.Library;
using Earworm.Catalog;

namespace Earworm.App.Events;

/// <summary>One track of a list shown: its track (a library track) or item (listening data without audio), the score
/// that ranked it, the probability with which the policy put it there, and what it was shown for when that differs
/// from track to track (a JSON object; null: the list's context).</summary>
public readonly record struct ShownTrack(long? TrackId, long? ItemId, double? Score, double Propensity = 1, string? Context = null);

/// <summary>
/// The application's side of the event log (<see cref="IEventLogRepository"/>): the services log what they show a
/// listener (recommendations, keep-playing lists) and what the listener then does (the feedback service's plays, skips,
/// likes), so every front end — CLI, web, OpenSubsonic, MPD — logs without code of its own. A call returns once the
/// events are committed (they survive the process being killed). Thread-safe: the lists concurrent requests show are
/// committed together on one connection (<see cref="LibraryCache.Writer"/>). Off (<see cref="Enabled"/> false) it logs
/// nothing: the serving benchmark's reference.
/// </summary>
public sealed class EventLog(LibraryCache library, bool enabled = true)
{
    public bool Enabled { get; } = enabled;

    /// <summary>Logs a list shown to <paramref name="user"/> (nothing when no listener is named, the list is empty or
    /// logging is off); the list's request id, or null when nothing was logged.</summary>
    public string? Shown(string? user, string surface, string policy, string policyVersion, IReadOnlyList<ShownTrack> tracks, string? context = null) =>
        ShownAsync(user, surface, policy, policyVersion, tracks, context).GetAwaiter().GetResult();

    /// <summary><see cref="Shown"/> for asynchronous callers: the task ends once the list is committed, and no thread
    /// waits for that meanwhile.</summary>
    public async Task<string?> ShownAsync(string? user, string surface, string policy, string policyVersion, IReadOnlyList<ShownTrack> tracks, string? context = null)
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
        await library.Writer.AppendAsync(impressions).ConfigureAwait(false);
        return request;
    }

    /// <summary>Logs what a listener did with a track, on <paramref name="catalog"/> (a caller's connection, in the
    /// caller's turn to write: <see cref="LibraryCache.Write{T}"/>) or in a turn of its own; null when logging is off.</summary>
    public OutcomeRecord? Outcome(string user, long trackId, OutcomeKind kind, double? positionSeconds = null, ICatalog? catalog = null)
    {
        if (!Enabled) return null;
        var outcome = new Outcome(user, trackId, kind, positionSeconds);
        return catalog is null ? library.Write(c => c.AppendOutcome(outcome)) : catalog.AppendOutcome(outcome);
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
