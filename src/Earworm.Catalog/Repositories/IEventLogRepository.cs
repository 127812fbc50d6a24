namespace Earworm.Catalog;

/// <summary>What happened after a track was shown: a play of 30 s or more, a play to the end, a skip (with where in the
/// track), a like, a dislike.</summary>
public enum OutcomeKind { Play, Complete, Skip, Like, Dislike }

/// <summary>One track shown to a listener: in which list (<paramref name="RequestId"/>, shared by a list's tracks) at
/// which position (0 the first), on which surface (recommend, keep-playing, similar, discover), by which policy and
/// version, with the probability the policy chose it (1 for a deterministic ranking) and its score; context: a short
/// JSON of what the list was asked for. A track without audio in the library (a listening-data item) has no track id.</summary>
public sealed record Impression(string User, string RequestId, int Position, long? TrackId, long? ItemId, string Surface,
    string Policy, string PolicyVersion, double Propensity, double? Score = null, string? Context = null);

/// <summary>A listener's outcome on a track; <paramref name="PositionSeconds"/> where in the track (a skip's position).</summary>
public sealed record Outcome(string User, long TrackId, OutcomeKind Kind, double? PositionSeconds = null);

/// <summary>An impression as logged: its id and time.</summary>
public sealed record ImpressionRecord(long Id, Impression Impression, DateTimeOffset At);

/// <summary>An outcome as logged: its id, time, and the latest impression of that track to that listener before it,
/// among the listener's latest <see cref="LinkWindow"/> impressions (null when it was not shown there: the listener
/// found it themselves, or it was shown too long ago for this to answer that showing).</summary>
public sealed record OutcomeRecord(long Id, Outcome Outcome, long? ImpressionId, DateTimeOffset At)
{
    /// <summary>How many of a listener's latest impressions an outcome is linked among: the stores find it from an index
    /// in the order impressions are appended, so logging a list writes to the end of it instead of one place per track.</summary>
    public const int LinkWindow = 1_000;
}

/// <summary>
/// The event log: every impression and outcome, append-only (the store refuses to change or delete an event) and
/// durable once a call returns (the transaction is committed before it does). Off-policy evaluation and the bandits
/// learn from it; <c>earworm events export</c> writes it out.
/// </summary>
public interface IEventLogRepository
{
    /// <summary>Appends a shown list's impressions in one transaction; their ids, in order.</summary>
    /// <exception cref="ArgumentException">a propensity outside (0, 1], a negative position, neither track nor item.</exception>
    IReadOnlyList<long> AppendImpressions(IReadOnlyList<Impression> impressions);

    /// <summary>Appends an outcome, linked to the latest impression of the track to the listener (among their latest
    /// <see cref="OutcomeRecord.LinkWindow"/>); its record.</summary>
    OutcomeRecord AppendOutcome(Outcome outcome);

    /// <summary>Impressions with an id above <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<ImpressionRecord> ReadImpressions(long afterId = 0, int limit = 10_000);

    /// <summary>Outcomes with an id above <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<OutcomeRecord> ReadOutcomes(long afterId = 0, int limit = 10_000);
}
