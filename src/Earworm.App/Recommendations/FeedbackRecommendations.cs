using Earworm.App.Library;
using Earworm.Catalog;
using Earworm.Learning.Numerics;
using Earworm.Recommend;

namespace Earworm.App.Recommendations;

/// <summary>
/// Stands in for collaborative filtering when there is no cf model: the tracks nearest the mean of what the listener
/// liked (and played through) in the best space, what they disliked or already liked left out, each with the liked
/// track that pulled it in.
/// </summary>
public static class FeedbackRecommendations
{
    /// <exception cref="UserNotFoundException">the listener liked or played nothing the space holds.</exception>
    public static PersonalResult Recommend(LibraryView view, IReadOnlyList<FeedbackRecord> feedback, string user, int count)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(feedback);
        var liked = feedback.Where(f => f.Kind is FeedbackKind.Like or FeedbackKind.Play).Select(f => f.TrackId).Distinct().ToList();
        var disliked = feedback.Where(f => f.Kind is FeedbackKind.Dislike).Select(f => f.TrackId).ToHashSet();
        liked.RemoveAll(disliked.Contains);
        var space = view.Space(null);
        var vectors = liked.Select(id => (Id: id, V: space.Vector(id))).Where(x => x.V is not null).Select(x => (x.Id, V: x.V!)).ToList();
        if (vectors.Count == 0) throw new UserNotFoundException(user);
        var query = new float[space.Vectors.Dimension];
        foreach (var (_, v) in vectors) Simd.AddScaled(1f / vectors.Count, v, query);
        var known = liked.ToHashSet();
        var found = SimilarTracks.Find(space.Vectors, space.Index, view.Facts, query, null, null, count + known.Count + disliked.Count)
            .Where(s => !known.Contains(s.Track.Id) && !disliked.Contains(s.Track.Id)).Take(count);
        var items = found.Select(s =>
        {
            var by = vectors.MinBy(x => Simd.SquaredDistance(x.V, space.Vector(s.Track.Id)!)).Id;
            var (a, b) = (view.Descriptors.GetValueOrDefault(by), view.Descriptors.GetValueOrDefault(s.Track.Id));
            var reasons = a is not null && b is not null ? DescriptorSimilarity.Reasons(a, b).ToList() : [];
            var t = view.Find(by);
            reasons.Add($"because you liked {t?.Artist} – {t?.Title}");
            return new PersonalItem(null, s.Track.Id, s.Track.DisplayName, s.Track.Path, (float)s.Score, null, [], reasons, by);
        }).ToList();
        return new PersonalResult(user, null, $"likes and plays in the {space.Name} space", items, []);
    }
}
