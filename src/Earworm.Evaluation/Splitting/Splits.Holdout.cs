using System.Globalization;
using Earworm.Evaluation.Data;

namespace Earworm.Evaluation.Splitting;

/// <summary>
/// Train/test splits of an <see cref="InteractionDataset"/>. Every split assigns whole (user, item) pairs
/// (all records of a pair go to the same side), works on each user's pairs in item order, and draws from
/// <c>new Random(seed)</c> user by user in ascending order: the same records (in any order) and the same
/// seed give the same split.
/// </summary>
public static partial class Splits
{
    /// <summary>
    /// Per-user random holdout: each user's pairs are shuffled and round(<paramref name="testFraction"/> × n)
    /// of them (half away from zero) go to test, at most n − 1, so every user keeps a training pair; a user
    /// with one pair stays whole in train.
    /// </summary>
    public static DataSplit PerUserHoldout(InteractionDataset data, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must lie strictly between 0 and 1");
        var pairs = UserItemPairs.Build(data.Interactions, data.UserCount);
        var random = new Random(seed);
        var test = new bool[pairs.PairCount];
        for (int u = 0; u < data.UserCount; u++)
        {
            int n = pairs.PairsOf(u);
            int take = Math.Min((int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero), n - 1);
            pairs.MarkRandom(u, take, random, test);
        }
        var (train, testRecords) = pairs.Partition(data.Interactions, test);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"per-user random holdout: {testFraction * 100:0.##}% of each user's items (rounded, at least one item kept for training) held out for testing, seed {seed}");
        return new DataSplit(description, data.UserCount, data.ItemCount, train, testRecords, [], []);
    }

    /// <summary>
    /// Leave-k-out: each user with at least k + 1 pairs has k of them, drawn at random, held out; users with
    /// fewer stay whole in train (so every test user keeps a training pair). As benfred/implicit's
    /// <c>leave_k_out_split</c>, except that implicit's code splits only users with more than k + 1 pairs.
    /// </summary>
    public static DataSplit LeaveKOut(InteractionDataset data, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var pairs = UserItemPairs.Build(data.Interactions, data.UserCount);
        var random = new Random(seed);
        var test = new bool[pairs.PairCount];
        for (int u = 0; u < data.UserCount; u++)
        {
            if (pairs.PairsOf(u) >= k + 1) pairs.MarkRandom(u, k, random, test);
        }
        var (train, testRecords) = pairs.Partition(data.Interactions, test);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"leave-{k}-out: {Counted.Of(k, "random item")} of each user with at least {k + 1} items held out for testing, seed {seed}");
        return new DataSplit(description, data.UserCount, data.ItemCount, train, testRecords, [], []);
    }
}
