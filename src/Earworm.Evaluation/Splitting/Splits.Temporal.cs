using System.Globalization;
using Earworm.Evaluation.Data;

namespace Earworm.Evaluation.Splitting;

public static partial class Splits
{
    /// <summary>
    /// Temporal: each user with at least k + 1 pairs has its k latest pairs held out, a pair dated by its
    /// earliest record (when the user first played the item), ties broken by item index (higher counts as later).
    /// Users with fewer stay whole in train. Deterministic: there is no seed.
    /// </summary>
    /// <exception cref="UsageException">some records have no timestamp (the dataset cannot be split by time).</exception>
    public static DataSplit Temporal(InteractionDataset data, int k)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int undated = data.Interactions.Count(x => x.TimestampUnixSeconds is null);
        if (undated > 0)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{data.Name}: a temporal split needs a timestamp on every interaction, and {undated} of {data.Interactions.Count} have none"));
        var pairs = UserItemPairs.Build(data.Interactions, data.UserCount);
        var test = new bool[pairs.PairCount];
        var order = new List<int>();
        for (int u = 0; u < data.UserCount; u++)
        {
            int n = pairs.PairsOf(u);
            if (n < k + 1) continue;
            order.Clear();
            for (int p = pairs.UserStart[u]; p < pairs.UserStart[u + 1]; p++) order.Add(p);
            // pairs are in item order, so a stable sort by time leaves ties in item order
            var latestLast = order.OrderBy(p => pairs.FirstTimestamp[p]!.Value).ToArray();
            for (int i = n - k; i < n; i++) test[latestLast[i]] = true;
        }
        var (train, testRecords) = pairs.Partition(data.Interactions, test);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"temporal: the {k} most recent {Counted.Noun(k, "item")} (by first play) of each user with at least {k + 1} items held out for testing");
        return new DataSplit(description, data.UserCount, data.ItemCount, train, testRecords, [], []);
    }
}
