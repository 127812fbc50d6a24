using Earworm.Learning.Factorization;
using Earworm.Learning.Synthetic;

namespace Earworm.Learning.Tests.Synthetic;

public class SyntheticListeningTests
{
    private static readonly SyntheticListeningOptions Small = new() { Users = 2_000, Items = 1_000, Interactions = 60_000, Tastes = 8, Seed = 7 };

    [Fact]
    public void RowsAreDistinctAscendingAndAddUpToAboutTheInteractionsAsked()
    {
        var log = new SyntheticListening(Small);
        var m = log.Matrix(threads: 2);
        Assert.Equal((2_000, 1_000), (m.Rows, m.Columns));
        Assert.Equal(log.Interactions, m.NonZeros);
        Assert.InRange(m.NonZeros, 59_400, 60_600);
        for (int u = 0; u < m.Rows; u++)
        {
            var row = m.RowIndices(u);
            Assert.Equal(log.RowLength(u), row.Length);
            Assert.InRange(row.Length, 1, 250);
            for (int j = 1; j < row.Length; j++) Assert.True(row[j - 1] < row[j], $"user {u}: {row[j - 1]} then {row[j]}");
            Assert.InRange(row[0], 0, 999);
            Assert.InRange(row[^1], 0, 999);
        }
        Assert.Equal(log.RowStart(1_999) + log.RowLength(1_999), log.Interactions);
    }

    [Fact]
    public void TheSameSeedMakesTheSameLogOnAnyNumberOfThreads()
    {
        var one = new SyntheticListening(Small).Matrix(threads: 1);
        var two = new SyntheticListening(Small).Matrix(threads: 2);
        var other = new SyntheticListening(Small with { Seed = 8 }).Matrix(threads: 2);
        Assert.Equal(one.Entries(), two.Entries());
        Assert.NotEqual(one.Entries(), other.Entries());
    }

    [Fact]
    public void PopularityFallsWithRankAndActivityHasAHeavyTail()
    {
        var log = new SyntheticListening(Small);
        var plays = new int[Small.Items];
        var m = log.Matrix(threads: 2);
        for (int u = 0; u < m.Rows; u++)
            foreach (int i in m.RowIndices(u)) plays[i]++;
        // the ten most popular items (the lowest ids of each taste and overall) far ahead of the ten at rank ~500
        Assert.True(plays[..10].Sum() > 3 * plays[500..510].Sum(), $"top {plays[..10].Sum()}, middle {plays[500..510].Sum()}");
        double mean = (double)log.Interactions / Small.Users;
        int busiest = Enumerable.Range(0, Small.Users).Max(log.RowLength);
        Assert.True(busiest > 4 * mean, $"busiest user {busiest} items, mean {mean:0.0}");
    }

    [Fact]
    public void UsersDrawMostOfTheirItemsFromTheirTwoTastesAndAlsFindsThem()
    {
        var log = new SyntheticListening(Small);
        var m = log.Matrix(threads: 2);
        long inTaste = 0;
        for (int u = 0; u < m.Rows; u++)
            foreach (int i in m.RowIndices(u))
                if (log.TasteOfItem(i) == log.TasteOf(u, 0) || log.TasteOfItem(i) == log.TasteOf(u, 1)) inTaste++;
        // 0.8 drawn from the tastes, plus the share of the global draws that land in them by chance
        Assert.InRange((double)inTaste / m.NonZeros, 0.75, 0.9);

        var model = new AlsTrainer(AlsOptions.Default with { Factors = 16, Iterations = 8, Threads = 2 }).Fit(m);
        int recommended = 0, hits = 0;
        for (int u = 0; u < 200; u++)
        {
            foreach (int i in model.Recommend(u, m, 10).Ids)
            {
                recommended++;
                if (log.TasteOfItem(i) == log.TasteOf(u, 0) || log.TasteOfItem(i) == log.TasteOf(u, 1)) hits++;
            }
        }
        // two tastes of eight are a quarter of the catalogue by chance
        Assert.True(hits > 0.6 * recommended, $"{hits} of {recommended} recommendations in the user's tastes");
    }

    [Fact]
    public void OptionsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new SyntheticListening(Small with { Users = 0 }));
        Assert.Throws<ArgumentException>(() => new SyntheticListening(Small with { Tastes = 2_000 }));
        Assert.Throws<ArgumentException>(() => new SyntheticListening(Small with { Interactions = 1_000_000 }));
        Assert.Throws<ArgumentException>(() => new SyntheticListening(Small with { TasteShare = 1.5f }));
    }
}
