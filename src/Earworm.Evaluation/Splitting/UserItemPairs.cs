using Earworm.Learning;

namespace Earworm.Evaluation.Splitting;

/// <summary>
/// Records grouped by (user, item) pair, pairs grouped by user and sorted by item: the unit every split
/// assigns to one side, so repeated listens of one item never straddle train and test, and the split does
/// not depend on the order of the input records.
/// </summary>
internal sealed class UserItemPairs
{
    private UserItemPairs(int[] pairOfRecord, int[] pairItem, int[] userStart, long?[] firstTimestamp)
    {
        PairOfRecord = pairOfRecord;
        PairItem = pairItem;
        UserStart = userStart;
        FirstTimestamp = firstTimestamp;
    }

    /// <summary>For each input record, the index of its pair.</summary>
    public int[] PairOfRecord { get; }

    /// <summary>The item of each pair.</summary>
    public int[] PairItem { get; }

    /// <summary>User u's pairs are UserStart[u]..UserStart[u+1]−1, ascending by item.</summary>
    public int[] UserStart { get; }

    /// <summary>The earliest timestamp among a pair's records; null when any of them has none.</summary>
    public long?[] FirstTimestamp { get; }

    public int PairCount => PairItem.Length;

    public int PairsOf(int user) => UserStart[user + 1] - UserStart[user];

    public static UserItemPairs Build(IReadOnlyList<Interaction> records, int userCount)
    {
        int n = records.Count;
        var order = new int[n];
        var keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = ((long)records[i].User << 32) | (uint)records[i].Item;
        }
        // Array.Sort is unstable; ties (same pair) are resolved below without caring about their order.
        Array.Sort(keys, order);
        var pairOfRecord = new int[n];
        var items = new List<int>();
        var times = new List<long?>();
        var userStart = new int[userCount + 1];
        int pair = -1;
        long previous = -1;
        for (int j = 0; j < n; j++)
        {
            var x = records[order[j]];
            if (keys[j] != previous)
            {
                pair++;
                previous = keys[j];
                items.Add(x.Item);
                times.Add(x.TimestampUnixSeconds);
                userStart[x.User + 1]++;
            }
            else
            {
                var t = times[pair];
                times[pair] = t is null || x.TimestampUnixSeconds is null ? null : Math.Min(t.Value, x.TimestampUnixSeconds.Value);
            }
            pairOfRecord[order[j]] = pair;
        }
        for (int u = 0; u < userCount; u++) userStart[u + 1] += userStart[u];
        return new UserItemPairs(pairOfRecord, [.. items], userStart, [.. times]);
    }

    /// <summary>Marks <paramref name="count"/> of user's pairs, drawn uniformly without replacement
    /// (a partial Fisher–Yates shuffle over the pairs in item order).</summary>
    public void MarkRandom(int user, int count, Random random, bool[] marked)
    {
        int start = UserStart[user], m = PairsOf(user);
        if (count <= 0) return;
        var slots = new int[m];
        for (int i = 0; i < m; i++) slots[i] = start + i;
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, m);
            (slots[i], slots[j]) = (slots[j], slots[i]);
            marked[slots[i]] = true;
        }
    }

    /// <summary>Partitions the records by their pair's mark: marked pairs' records to test, the rest to train.</summary>
    public (Interaction[] Train, Interaction[] Test) Partition(IReadOnlyList<Interaction> records, bool[] testPair)
    {
        var train = new List<Interaction>(records.Count);
        var test = new List<Interaction>();
        for (int i = 0; i < records.Count; i++)
            (testPair[PairOfRecord[i]] ? test : train).Add(records[i]);
        return ([.. train], [.. test]);
    }
}
