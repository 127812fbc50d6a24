using System.Globalization;

namespace Earworm.Recommend.Playlists;

public sealed partial class PlaylistEngine
{
    /// <summary>How many of the order model's candidates are looked at before the space picks instead.</summary>
    internal const int OrderDepth = 100;

    /// <summary>The next track by a model of listening order: its best candidate after the tracks so far that may be
    /// played and meets every constraint (constraints never give way here: the space relaxes them when it must). With
    /// drunk X, each candidate's score moves by Gaussian noise of σ = X × the spread of the candidates' scores, so X
    /// wanders about as far as it does in the space. Null when the model knows none of the tracks so far, or none of
    /// its candidates may be played.</summary>
    private (TrackFacts Track, List<string> Reasons)? OrderPick(INextTrackOrder order, State state, double drunk, Random random)
    {
        var history = state.Entries.Select(e => e.TrackId).ToList();
        if (history.Count == 0) return null;
        var ranked = order.Next(history, OrderDepth);
        if (ranked.Count == 0) return null;
        IEnumerable<(long TrackId, float Score)> candidates = ranked;
        if (drunk > 0)
        {
            double spread = ranked[0].Score - ranked[^1].Score;
            candidates = [.. ranked.Select(r => (r.TrackId, Score: (float)(r.Score + drunk * spread * Gaussian(random)))).OrderByDescending(r => r.Score)];
        }
        if (state.FirstAllowed(candidates.Select(c => c.TrackId)) is not { } pick) return null;
        string after = _facts.TryGetValue(history[^1], out var last) ? last.DisplayName : "the last track";
        string rank = pick.Rank == 1 ? "its first pick" : string.Create(CultureInfo.InvariantCulture, $"its pick {pick.Rank}: the ones before may not play here");
        string reason = history.Count == 1
            ? $"next after {after} by the {order.Description} ({rank})"
            : string.Create(CultureInfo.InvariantCulture, $"next after {after} and the {history.Count - 1} before by the {order.Description} ({rank})");
        return (pick.Track, [reason]);
    }
}
