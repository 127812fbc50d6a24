using Earworm.Evaluation.Data;
using Earworm.Evaluation.Splitting;
using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Splitting;

public class SplitsTests
{
    /// <summary>60 users × 40 items, 1 to 25 items per user (a few users with one), some items played in several
    /// records (repeat listens), every record dated.</summary>
    internal static InteractionDataset Synthetic(int users = 60, int items = 40, int seed = 3)
    {
        var random = new Random(seed);
        var records = new List<Interaction>();
        for (int u = 0; u < users; u++)
        {
            int n = u % 10 == 0 ? 1 : random.Next(2, 26);
            foreach (int item in Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(n))
            {
                int listens = random.Next(1, 4);
                for (int l = 0; l < listens; l++)
                    records.Add(new Interaction(u, item, random.Next(1, 5), 1_600_000_000L + random.Next(0, 1_000_000)));
            }
        }
        return new InteractionDataset("synthetic", users, items, records);
    }

    private static readonly InteractionDataset Data = Synthetic();

    public static TheoryData<string> Methods => ["holdout", "leave-2-out", "temporal", "cold"];

    private static DataSplit Make(string method, InteractionDataset data, int seed) => method switch
    {
        "holdout" => Splits.PerUserHoldout(data, 0.2, seed),
        "leave-2-out" => Splits.LeaveKOut(data, 2, seed),
        "temporal" => Splits.Temporal(data, 2),
        "cold" => Splits.ColdStartItems(data, 0.1, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static HashSet<(int, int)> Pairs(IEnumerable<Interaction> records) => [.. records.Select(x => (x.User, x.Item))];

    private static int[] PairsPerUser(IEnumerable<Interaction> records, int users)
    {
        var n = new int[users];
        foreach (var (u, _) in Pairs(records)) n[u]++;
        return n;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void PartitionsTheRecordsWithoutSplittingAPair(string method)
    {
        var split = Make(method, Data, 11);
        // train ∪ test ∪ unused = all, as multisets of records
        var all = Data.Interactions.OrderBy(x => (x.User, x.Item, x.TimestampUnixSeconds, x.Count)).ToList();
        var parts = split.Train.Concat(split.Test).Concat(split.Unused).OrderBy(x => (x.User, x.Item, x.TimestampUnixSeconds, x.Count)).ToList();
        Assert.Equal(all, parts);
        // train ∩ test = ∅, as (user, item) pairs
        Assert.Empty(Pairs(split.Train).Intersect(Pairs(split.Test)));
        Assert.NotEmpty(split.Test);
        // every test user keeps training data
        Assert.All(split.TestUsers, u => Assert.True(split.TrainMatrix.RowLength(u) > 0));
        if (method != "cold") Assert.Empty(split.Unused);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void SameSeedSameSplitAndInputOrderDoesNotMatter(string method)
    {
        var a = Make(method, Data, 5);
        var b = Make(method, Data, 5);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        var shuffled = new InteractionDataset("shuffled", Data.UserCount, Data.ItemCount,
            [.. Data.Interactions.OrderBy(_ => Random.Shared.Next())]);
        var c = Make(method, shuffled, 5);
        Assert.True(Pairs(a.Test).SetEquals(Pairs(c.Test)));
        Assert.Equal(a.ColdItems, c.ColdItems);
        if (method != "temporal")
            Assert.False(Pairs(a.Test).SetEquals(Pairs(Make(method, Data, 6).Test)), "another seed should give another split");
    }

    [Fact]
    public void HoldoutTakesTheRoundedShareOfEachUserKeepingOneForTraining()
    {
        var split = Splits.PerUserHoldout(Data, 0.2, 1);
        var total = PairsPerUser(Data.Interactions, Data.UserCount);
        var test = PairsPerUser(split.Test, Data.UserCount);
        for (int u = 0; u < Data.UserCount; u++)
            Assert.Equal(Math.Min((int)Math.Round(total[u] * 0.2, MidpointRounding.AwayFromZero), total[u] - 1), test[u]);
        // 0.5 of 3 pairs rounds half up to 2 → 1 kept; 0.9 of 1 pair → 0 (the only pair stays)
        var tiny = new InteractionDataset("tiny", 2, 5, [new(0, 0, 1), new(0, 1, 1), new(0, 2, 1), new(1, 4, 1)]);
        var s = Splits.PerUserHoldout(tiny, 0.5, 1);
        Assert.Equal([2, 0], PairsPerUser(s.Test, 2));
        Assert.Equal([1, 1], PairsPerUser(s.Train, 2));
    }

    [Fact]
    public void LeaveKOutLeavesUsersWithFewerThanKPlusOneWhole()
    {
        var split = Splits.LeaveKOut(Data, 2, 1);
        var total = PairsPerUser(Data.Interactions, Data.UserCount);
        var test = PairsPerUser(split.Test, Data.UserCount);
        for (int u = 0; u < Data.UserCount; u++) Assert.Equal(total[u] >= 3 ? 2 : 0, test[u]);
        // exactly k + 1 pairs: split, one left for training
        var three = new InteractionDataset("three", 1, 3, [new(0, 0, 1), new(0, 1, 1), new(0, 2, 1)]);
        Assert.Equal([2], PairsPerUser(Splits.LeaveKOut(three, 2, 1).Test, 1));
        Assert.Equal([0], PairsPerUser(Splits.LeaveKOut(three, 3, 1).Test, 1));
    }

    [Fact]
    public void TemporalHoldsOutTheLatestFirstPlays()
    {
        // user 0: item 0 first played at 10 (again at 50), item 1 at 20, item 2 at 30 → the last is item 2, not item 0
        var data = new InteractionDataset("dated", 2, 4,
        [
            new(0, 0, 1, 10), new(0, 1, 1, 20), new(0, 2, 1, 30), new(0, 0, 1, 50),
            new(1, 3, 1, 5), new(1, 1, 1, 5),   // a tie: the higher item index counts as later
        ]);
        var split = Splits.Temporal(data, 1);
        Assert.Equal([(0, 2), (1, 3)], Pairs(split.Test).Order());
        // on the synthetic data: the test pairs of each user are all dated after its training pairs
        var s = Splits.Temporal(Data, 2);
        var first = Data.Interactions.GroupBy(x => (x.User, x.Item)).ToDictionary(g => g.Key, g => g.Min(x => x.TimestampUnixSeconds!.Value));
        foreach (int u in s.TestUsers)
        {
            long lastTrain = Pairs(s.Train).Where(p => p.Item1 == u).Max(p => first[p]);
            long firstTest = Pairs(s.Test).Where(p => p.Item1 == u).Min(p => first[p]);
            Assert.True(firstTest >= lastTrain);
            Assert.Equal(2, Pairs(s.Test).Count(p => p.Item1 == u));
        }
    }

    [Fact]
    public void TemporalNeedsTimestamps()
    {
        var data = new InteractionDataset("undated", 1, 3, [new(0, 0, 1, 10), new(0, 1, 1), new(0, 2, 1, 30)]);
        var e = Assert.Throws<UsageException>(() => Splits.Temporal(data, 1));
        Assert.Contains("1 of 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColdStartRemovesItemsFromTrainingEntirely()
    {
        var split = Splits.ColdStartItems(Data, 0.1, 2);
        int withInteractions = Data.Interactions.Select(x => x.Item).Distinct().Count();
        Assert.Equal((int)Math.Round(withInteractions * 0.1, MidpointRounding.AwayFromZero), split.ColdItems.Count);
        Assert.Equal(split.ColdItems.Order(), split.ColdItems);
        var cold = split.ColdItems.ToHashSet();
        Assert.DoesNotContain(split.Train, x => cold.Contains(x.Item));
        Assert.All(split.Test, x => Assert.Contains(x.Item, cold));
        Assert.All(split.Unused, x => Assert.Contains(x.Item, cold));
        // unused = the cold records of users with nothing left to train on
        var trainUsers = split.Train.Select(x => x.User).ToHashSet();
        Assert.All(split.Test, x => Assert.Contains(x.User, trainUsers));
        Assert.All(split.Unused, x => Assert.DoesNotContain(x.User, trainUsers));
        Assert.Equal(Data.Interactions.Count(x => cold.Contains(x.Item)), split.Test.Count + split.Unused.Count);
    }

    [Fact]
    public void ColdStartSendsRecordsOfUsersLeftWithoutTrainingToUnused()
    {
        // user 1 has only item 2; with 1 of 3 items cold, some seed makes item 2 cold
        var data = new InteractionDataset("small", 2, 3, [new(0, 0, 1), new(0, 1, 1), new(0, 2, 1), new(1, 2, 1)]);
        var split = Enumerable.Range(0, 50).Select(seed => Splits.ColdStartItems(data, 0.3, seed)).First(s => s.ColdItems.Contains(2));
        Assert.Equal([new Interaction(0, 2, 1)], split.Test);
        Assert.Equal([new Interaction(1, 2, 1)], split.Unused);
    }

    [Fact]
    public void RejectsFractionsOutsideTheOpenInterval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.PerUserHoldout(Data, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.PerUserHoldout(Data, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.ColdStartItems(Data, 1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.LeaveKOut(Data, 0, 1));
    }
}
