namespace Earworm.Catalog;

/// <summary>Feedback: what listeners said about tracks while listening (plays, likes, dislikes, skips).</summary>
public interface IFeedbackRepository
{
    /// <summary>Records a listener's reaction to a track (the user is created when new); its id.</summary>
    /// <param name="at">when it happened, when the front end knows (a scrobble an app kept while offline); null: now.</param>
    long RecordFeedback(string user, long trackId, FeedbackKind kind, string? context = null, DateTimeOffset? at = null);

    /// <summary>A user's feedback, newest first (by when it happened, then as recorded).</summary>
    IReadOnlyList<FeedbackRecord> FeedbackOf(string user, int limit = 1000);

    /// <summary>The tracks a listener gave feedback of <paramref name="kind"/> (their dislikes, say), without reading
    /// the rest of their history: what serving paths ask on every request.</summary>
    IReadOnlySet<long> TracksWithFeedback(string user, FeedbackKind kind);

    /// <summary>Takes back a listener's feedback of one kind on a track (an unstarred song is no longer liked); how many
    /// records went.</summary>
    int RetractFeedback(string user, long trackId, FeedbackKind kind);

    /// <summary>How often each library track was played: played feedback plus imported plays of the item linked to it.</summary>
    IReadOnlyDictionary<long, double> PlayCounts();
}
