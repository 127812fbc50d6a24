using Earworm.Learning.Numerics;

namespace Earworm.Learning.Neighbours;

/// <summary>
/// A trained item-kNN model: each item's top-K neighbours and similarities. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <see cref="Recommend"/> scores item j by Σ over the user's items i of rᵤᵢ·sᵢⱼ, where sᵢⱼ is
/// counted only when j is among i's neighbours and rᵤᵢ is the user's value in <c>userItems</c>
/// (implicit's <c>user_items[u] · similarity</c>). Only items reached that way are candidates, so
/// the list can be shorter than asked. <see cref="SimilarItems"/> returns the stored neighbours
/// (at most <see cref="ItemKnnOptions.Neighbours"/>). The model scores from the user's row, so any
/// user of a matrix with <see cref="ItemCount"/> columns can be served.
/// </remarks>
public sealed class ItemKnnModel : IRecommenderModel
{
    private readonly int[][] _neighbourIds;
    private readonly float[][] _neighbourScores;

    internal ItemKnnModel(ItemKnnOptions options, int userCount, int[][] neighbourIds, float[][] neighbourScores)
    {
        Options = options;
        UserCount = userCount;
        _neighbourIds = neighbourIds;
        _neighbourScores = neighbourScores;
    }

    /// <summary>
    /// Rebuilds a model from stored neighbour lists (per item, ids and similarities best first, as
    /// <see cref="SimilarItems"/> returns them with no filter and a count of at least K).
    /// </summary>
    public static ItemKnnModel FromNeighbours(ItemKnnOptions options, int userCount, IReadOnlyList<ScoredItems> neighbours)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(neighbours);
        options.Validate();
        var ids = new int[neighbours.Count][];
        var scores = new float[neighbours.Count][];
        for (int i = 0; i < ids.Length; i++)
        {
            var n = neighbours[i] ?? throw new ArgumentException($"item {i} has no neighbour list.", nameof(neighbours));
            if (n.Ids.Length != n.Scores.Length) throw new ArgumentException($"item {i}: {n.Ids.Length} ids, {n.Scores.Length} scores.", nameof(neighbours));
            foreach (var j in n.Ids)
                if ((uint)j >= (uint)ids.Length) throw new ArgumentOutOfRangeException(nameof(neighbours), j, $"item {i} has neighbour {j} outside 0..{ids.Length - 1}");
            ids[i] = (int[])n.Ids.Clone();
            scores[i] = (float[])n.Scores.Clone();
        }
        return new ItemKnnModel(options, userCount, ids, scores);
    }

    public string Name => Options.Similarity == ItemSimilarity.Bm25 ? "itemknn-bm25" : "itemknn";

    /// <summary>Users of the matrix the model was fitted on.</summary>
    public int UserCount { get; }

    public int ItemCount => _neighbourIds.Length;

    public ItemKnnOptions Options { get; }

    public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
    {
        ContractGuard.Recommend(this, user, userItems, count);
        if (count == 0) return ScoredItems.Empty;
        using var acc = new ItemKnnTrainer.Accumulator(ItemCount);
        var items = userItems.RowIndices(user);
        var values = userItems.RowValues(user);
        for (int a = 0; a < items.Length; a++)
        {
            var ids = _neighbourIds[items[a]];
            var sims = _neighbourScores[items[a]];
            for (int b = 0; b < ids.Length; b++) acc.Add(ids[b], values[a] * sims[b]);
        }
        var top = new TopK(count);
        foreach (var j in acc.Touched)
        {
            float s = acc[j];
            if (!top.Accepts(j, s)) continue;
            if (excludeSeen && items.BinarySearch(j) >= 0) continue;
            if (filter is not null && !filter(j)) continue;
            top.Add(j, s);
        }
        return top.ToScoredItems();
    }

    public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null)
    {
        ContractGuard.SimilarItems(this, item, count);
        var ids = _neighbourIds[item];
        var sims = _neighbourScores[item];
        var outIds = new List<int>();
        var outScores = new List<float>();
        for (int b = 0; b < ids.Length && outIds.Count < count; b++)
        {
            if (filter is not null && !filter(ids[b])) continue;
            outIds.Add(ids[b]);
            outScores.Add(sims[b]);
        }
        return new ScoredItems([.. outIds], [.. outScores]);
    }
}
