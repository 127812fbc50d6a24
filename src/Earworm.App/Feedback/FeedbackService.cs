using Earworm.App.Events;
using Earworm.App.Library;
using Earworm.Catalog;

namespace Earworm.App.Feedback;

/// <summary>A listener's reaction to a track (<paramref name="User"/> null: the front end's listener).</summary>
public sealed record FeedbackRequest(long TrackId, FeedbackKind? Kind, string? User, string? Context)
{
    /// <summary>Where in the track the listener was (a skip's position), when the front end knows.</summary>
    public double? PositionSeconds { get; init; }

    /// <summary>A play that reached the end of the track.</summary>
    public bool Completed { get; init; }

    /// <summary>When it happened, when the front end knows (a scrobble an app kept while offline); null: now. A time
    /// ahead of the server's clock is taken as now.</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>The feedback as recorded.</summary>
public sealed record FeedbackRecorded(long Id, string User, long TrackId, FeedbackKind Kind);

/// <summary>Likes, dislikes, skips and plays of library tracks, recorded for a listener; they steer their playlists
/// (dislikes never play) and their recommendations. Each is also appended to the event log as an outcome (<see cref="EventLog"/>).</summary>
/// <param name="recorded">Told of each feedback once the catalog holds it (a cluster's listener sessions).</param>
public sealed class FeedbackService(LibraryCache library, EventLog? events = null, Action<FeedbackRecorded>? recorded = null)
{
    public const int MaxUserLength = 100;
    public const int MaxContextLength = 500;

    /// <param name="defaultUser">Who the feedback is for when the request names no one.</param>
    /// <exception cref="TrackNotFoundException">the track is not in the library.</exception>
    /// <exception cref="UsageException">no kind, or a user name too long.</exception>
    public FeedbackRecorded Record(FeedbackRequest request, string defaultUser) => RecordAsync(request, defaultUser).GetAwaiter().GetResult();

    /// <summary><see cref="Record"/> for asynchronous callers: no thread waits while the writes queued before this one
    /// commit (<see cref="LibraryCache.WriteAsync{T}"/>).</summary>
    public async Task<FeedbackRecorded> RecordAsync(FeedbackRequest request, string defaultUser)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (library.Current.Find(request.TrackId) is null) throw new TrackNotFoundException(request.TrackId);
        if (request.Kind is not { } kind || !Enum.IsDefined(kind)) throw new UsageException("kind must be play, like, dislike or skip");
        var user = string.IsNullOrWhiteSpace(request.User) ? defaultUser : request.User.Trim();
        if (user.Length > MaxUserLength) throw new UsageException($"user names are at most {MaxUserLength} characters");
        var context = request.Context is { Length: > MaxContextLength } ? request.Context[..MaxContextLength] : request.Context;
        if (request.PositionSeconds is double at && !(at >= 0 && double.IsFinite(at))) throw new UsageException("a position in a track is a number of seconds, at least 0");
        long id = await library.WriteAsync(c =>
        {
            var now = DateTimeOffset.UtcNow;
            long id = c.RecordFeedback(user, request.TrackId, kind, context, request.At is { } at && at < now ? at : null);
            events?.Outcome(user, request.TrackId, EventLog.OutcomeOf(kind, request.Completed), request.PositionSeconds, c);
            return id;
        }).ConfigureAwait(false);
        var feedback = new FeedbackRecorded(id, user, request.TrackId, kind);
        recorded?.Invoke(feedback);
        return feedback;
    }

    /// <summary>A listener's plays and skips since <paramref name="since"/>, newest first (a player's history window).</summary>
    public IReadOnlyList<FeedbackRecord> ListensSince(string user, DateTimeOffset since) =>
        library.WithCatalog(c => c.FeedbackOf(user, 100_000).TakeWhile(f => f.At >= since)
            .Where(f => f.Kind is FeedbackKind.Play or FeedbackKind.Skip).ToList());

    /// <summary>The tracks a listener disliked.</summary>
    public IReadOnlySet<long> Disliked(string user) =>
        library.WithCatalog(c => c.TracksWithFeedback(user, FeedbackKind.Dislike));
}
