using System.Buffers;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Baselines;

/// <summary>
/// Uniform random scores in [0, 1), drawn afresh for each call from a generator seeded by (seed, user)
/// or (seed, item): deterministic, thread-safe, no state. Serves any user of a matrix with
/// <see cref="ItemCount"/> columns.
/// </summary>
public sealed class RandomModel : IRecommenderModel
{
    internal RandomModel(int seed, int userCount, int itemCount)
    {
        Seed = seed;
        UserCount = userCount;
        ItemCount = itemCount;
    }

    public string Name => "random";
    public int Seed { get; }
    public int UserCount { get; }
    public int ItemCount { get; }

    public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
    {
        ContractGuard.Recommend(this, user, userItems, count);
        return Draw(SeedMixer.Combine(Seed, 19, user), count, excludeSeen ? userItems.RowIndices(user) : default, filter);
    }

    public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null)
    {
        ContractGuard.SimilarItems(this, item, count);
        return Draw(SeedMixer.Combine(Seed, 23, item), count, [item], filter);
    }

    private ScoredItems Draw(ulong seed, int count, ReadOnlySpan<int> excludeSorted, Func<int, bool>? filter)
    {
        var rng = new FastRandom(seed);
        var rented = ArrayPool<float>.Shared.Rent(ItemCount);
        try
        {
            var scores = rented.AsSpan(0, ItemCount);
            for (int i = 0; i < scores.Length; i++) scores[i] = rng.NextSingle();
            return TopK.Select(scores, count, excludeSorted, filter);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
