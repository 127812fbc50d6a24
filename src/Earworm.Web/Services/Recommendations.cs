using Earworm.Catalog;
using Earworm.Recommend.Personal;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>Personal recommendations for a listener.</summary>
public sealed record RecommendResult(string User, string Source, IReadOnlyList<Pick> Tracks);

/// <summary>The recommender the endpoint calls (the CLI's <c>recommend --user</c>, once Earworm.Recommend has it).</summary>
public interface IPersonalRecommender
{
    /// <exception cref="UserNotFoundException">the listener has no listening data nor feedback.</exception>
    RecommendResult Recommend(LibraryState state, string user, int count, double diversity);
}

/// <summary>A listener the catalog knows nothing of (404).</summary>
public sealed class UserNotFoundException(string user, string? why = null)
    : EarwormException($"no listening data or feedback for user \"{user}\": play and like some tracks, or import a history" + (why is null ? "" : $" ({why})"));

/// <summary>
/// <c>earworm recommend --user</c>'s own code (<see cref="PersonalSession"/>: the current cf model, heard tracks left out,
/// diversity by MMR, the cold-start bridge, explanations), library tracks only. Without a cf model (no listening data
/// trained yet), or for a listener it does not know, the listener's likes and plays in the web app steer instead
/// (<see cref="FeedbackRecommender"/>), and the source says so.
/// </summary>
public sealed class CfRecommender(FeedbackRecommender fallback) : IPersonalRecommender
{
    public RecommendResult Recommend(LibraryState state, string user, int count, double diversity)
    {
        ArgumentNullException.ThrowIfNull(state);
        PersonalResult result;
        try
        {
            result = state.WithCatalog(c => PersonalSession.Recommend(c, user, [], new PersonalOptions(count, diversity, 3), includeHeard: false, libraryOnly: true));
        }
        catch (UsageException e)
        {
            try
            {
                var own = fallback.Recommend(state, user, count, diversity);
                return own with { Source = $"{own.Source} ({e.Message})" };
            }
            catch (UserNotFoundException)
            {
                throw new UserNotFoundException(user, e.Message);
            }
        }
        var library = state.Current;
        var picks = result.Items.Where(i => i.TrackId is { } id && library.Find(id) is not null).Select(i =>
        {
            var t = library.Find(i.TrackId!.Value)!;
            var reasons = i.Because.Select(b => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"you played {b.Label} ({b.Similarity:0.00})")).ToList();
            reasons.Insert(0, i.Source == FactorSource.Audio ? "no plays yet: scored by its audio (cold-start bridge)" : "scored by your listening (cf)");
            return new Pick(TrackSummary.Of(t, library.Descriptors.GetValueOrDefault(t.Id)), Math.Round(i.Score, 4), reasons);
        }).ToList();
        return new RecommendResult(user, $"cf model {result.ModelVersion}: {result.How}", picks);
    }
}

/// <summary>
/// Stands in for collaborative filtering when there is no cf model: the tracks nearest the mean of what the
/// listener liked (and played through) in the best space, what they disliked or already liked left out, each with
/// the liked track that pulled it in.
/// </summary>
public sealed class FeedbackRecommender : IPersonalRecommender
{
    public RecommendResult Recommend(LibraryState state, string user, int count, double diversity)
    {
        ArgumentNullException.ThrowIfNull(state);
        var library = state.Current;
        var feedback = state.WithCatalog(c => c.FeedbackOf(user));
        var liked = feedback.Where(f => f.Kind is FeedbackKind.Like or FeedbackKind.Play).Select(f => f.TrackId).Distinct().ToList();
        var disliked = feedback.Where(f => f.Kind is FeedbackKind.Dislike).Select(f => f.TrackId).ToHashSet();
        liked.RemoveAll(disliked.Contains);
        if (liked.Count == 0) throw new UserNotFoundException(user);
        var space = library.Space(null);
        var vectors = liked.Select(id => (Id: id, V: space.Vector(id))).Where(x => x.V is not null).ToList();
        if (vectors.Count == 0) throw new UserNotFoundException(user);
        var query = new float[space.Vectors.Dimension];
        foreach (var (_, v) in vectors)
            for (int i = 0; i < query.Length; i++) query[i] += v![i] / vectors.Count;
        var known = liked.ToHashSet();
        var picks = SimilarService.Picks(library, space, query, null, null, count + known.Count + disliked.Count, null)
            .Where(p => !known.Contains(p.Track.Id) && !disliked.Contains(p.Track.Id)).Take(count)
            .Select(p =>
            {
                var pv = space.Vector(p.Track.Id)!;
                var by = vectors.MinBy(x => Earworm.Learning.Numerics.Simd.SquaredDistance(x.V, pv)).Id;
                var (a, b) = (library.Descriptors.GetValueOrDefault(by), library.Descriptors.GetValueOrDefault(p.Track.Id));
                var reasons = a is not null && b is not null ? Earworm.Recommend.DescriptorSimilarity.Reasons(a, b).ToList() : [];
                var t = library.Find(by);
                reasons.Add($"because you liked {t?.Artist} – {t?.Title}");
                return p with { Reasons = reasons, PulledInBy = by };
            }).ToList();
        return new RecommendResult(user, $"likes and plays in the {space.Name} space", picks);
    }
}
