using Earworm.Learning.Sequences;
using Earworm.Recommend.Playlists;

namespace Earworm.App.Sequences;

/// <summary>A trained next-item network as keep playing's model of order (<see cref="INextTrackOrder"/>): it reads the
/// tracks so far that it knows (the others are left out of its history) and proposes the library tracks it can place.</summary>
internal sealed class SequenceTrackOrder(TrainedSequenceModel model) : INextTrackOrder
{
    private readonly int[] _popularity = new int[model.ItemIds.Count];

    public string Description => model.Description;

    public IReadOnlyList<(long TrackId, float Score)> Next(IReadOnlyList<long> history, int depth)
    {
        var known = history.Select(model.IndexOfTrack).OfType<int>().ToArray();
        if (known.Length == 0) return [];
        var recent = known[Math.Max(0, known.Length - model.Model.MaxLength)..];
        var scores = new float[model.ItemIds.Count];
        model.Model.Score(recent, [], scores);
        for (int j = 0; j < scores.Length; j++)
            if (model.TrackOfIndex[j] is null) scores[j] = float.NegativeInfinity;
        return [.. NextItems.Rank(scores, _popularity, [.. known.Distinct().Order()], depth).Select(j => (model.TrackOfIndex[j]!.Value, scores[j]))];
    }
}
