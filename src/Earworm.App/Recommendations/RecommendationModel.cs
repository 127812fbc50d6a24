using Earworm.Recommend.Personal;

namespace Earworm.App.Recommendations;

/// <summary>Personal recommendations as a front end asks for them.</summary>
/// <param name="User">The listener (a name <c>users</c> lists); null with <paramref name="Seeds"/> for a new listener.</param>
/// <param name="Seeds">For a listener the model does not know: tracks they like (id, path, "artist title", or item:ID).</param>
/// <param name="LibraryOnly">Only tracks of the library (no items heard elsewhere without an audio file).</param>
/// <param name="FallBackToFeedback">Without a cf model (or for a listener it does not know), recommend from the
/// listener's likes and plays instead (<see cref="FeedbackRecommendations"/>), saying so.</param>
public sealed record RecommendRequest(string? User, IReadOnlyList<string> Seeds, PersonalOptions Options, bool IncludeHeard = false,
    bool LibraryOnly = false, bool FallBackToFeedback = false)
{
    public const int MaxCount = 1000;

    /// <exception cref="UsageException">no listener nor seeds, or an option out of range.</exception>
    public RecommendRequest Validated()
    {
        if (string.IsNullOrWhiteSpace(User) && Seeds.Count == 0) throw new UsageException("say who for: a user, or seed tracks for a new listener");
        if (Options.Count is < 1 or > MaxCount) throw new UsageException($"count must be 1–{MaxCount}");
        if (!(Options.Diversity >= 0 && Options.Diversity <= 1)) throw new UsageException("diversity must be 0–1");
        if (Options.Explanations < 0) throw new UsageException("explanations must not be negative");
        return this;
    }
}

/// <summary>Something said about the recommendations; <paramref name="Important"/> ones are shown even unasked.</summary>
public sealed record PersonalNote(string Text, bool Important);

/// <summary>One of the listener's items that pulled a recommendation in, and how close (cosine of factors).</summary>
public sealed record PersonalReason(long ItemId, string Label, float Similarity);

/// <summary>A recommendation: the item (and its library track, when it has one), its score and why.</summary>
/// <param name="Source">Where its factors come from (listening, or the audio bridge); null when it was not scored by
/// collaborative filtering (<see cref="Reasons"/> says how).</param>
/// <param name="Reasons">Reasons in words, for recommendations made without a cf model.</param>
/// <param name="PulledInBy">The listener's track that pulled it in, when one did.</param>
public sealed record PersonalItem(long? ItemId, long? TrackId, string Label, string? Path, float Score, FactorSource? Source,
    IReadOnlyList<PersonalReason> Because, IReadOnlyList<string>? Reasons = null, long? PulledInBy = null);

/// <summary>Recommendations for a listener: from which model (null when none scored them) and how, and notes.</summary>
public sealed record PersonalResult(string? User, string? ModelVersion, string How, IReadOnlyList<PersonalItem> Items, IReadOnlyList<PersonalNote> Notes);

/// <summary>A listener the catalog knows nothing of (the web app answers 404).</summary>
public sealed class UserNotFoundException(string user, string? why = null)
    : EarwormException($"no listening data or feedback for user \"{user}\": play and like some tracks, or import a history" + (why is null ? "" : $" ({why})"));
