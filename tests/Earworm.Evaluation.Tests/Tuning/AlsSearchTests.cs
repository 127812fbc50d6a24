using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tests.Tuning;

public class AlsSearchTests
{
    /// <summary>Users in <paramref name="groups"/> taste groups, each with its own 20 items: a user has 12 of its group's
    /// items and 2 at random elsewhere, each counted once. The structure has exactly <paramref name="groups"/> dimensions.</summary>
    internal static InteractionDataset Groups(int groups = 6, int usersPerGroup = 40, int seed = 3, Func<Random, float>? count = null)
    {
        var random = new Random(seed);
        int itemsPerGroup = 20, items = groups * itemsPerGroup;
        var records = new List<Interaction>();
        for (int u = 0; u < groups * usersPerGroup; u++)
        {
            int g = u % groups;
            var mine = new HashSet<int>();
            while (mine.Count < 12) mine.Add(g * itemsPerGroup + random.Next(itemsPerGroup));
            while (mine.Count < 14) mine.Add(random.Next(items));
            foreach (int item in mine) records.Add(new Interaction(u, item, count?.Invoke(random) ?? 1f));
        }
        return new InteractionDataset("groups", groups * usersPerGroup, items, records);
    }

    private static readonly AlsOptions Basis = new() { Threads = 2, Iterations = 8 };

    [Fact]
    public void TheSearchPicksThePlantedBestConfiguration()
    {
        // one factor cannot tell six taste groups apart, and λ = 10⁴ shrinks every factor to nothing: only 8 factors with a small λ fit
        var data = Groups();
        var grid = AlsGrid.Parse("factors=1,8;regularization=0.1,10000;alpha=1", AlsGrid.Default(binary: true));
        var result = AlsSearch.Run(InteractionMatrix.FromInteractions(data.Interactions, data.UserCount, data.ItemCount), Basis,
            new AlsTuningOptions { Grid = grid, Seed = 5 });

        Assert.Equal(4, result.Rows.Count);
        Assert.Equal((8, 0.1f), (result.Best.Factors, result.Best.Regularization));
        foreach (var row in result.Rows.Where(r => r != result.Best))
            Assert.True(result.Best.ValidationNdcg > row.ValidationNdcg + 0.1, $"{result.Best.Label} {result.Best.ValidationNdcg} vs {row.Label} {row.ValidationNdcg}");
        Assert.All(result.Rows, r => Assert.True(r.Seconds > 0));
    }

    [Fact]
    public void TheSameSeedGivesTheSameSearch()
    {
        var data = Groups(groups: 3, usersPerGroup: 20);
        var matrix = InteractionMatrix.FromInteractions(data.Interactions, data.UserCount, data.ItemCount);
        var options = new AlsTuningOptions { Grid = AlsGrid.Parse("factors=4;alpha=0,2", AlsGrid.Default(true)), Seed = 11 };
        var first = AlsSearch.Run(matrix, Basis with { Threads = 1 }, options);
        var second = AlsSearch.Run(matrix, Basis with { Threads = 2 }, options);
        Assert.Equal(first.Rows.Select(r => r.ValidationNdcg), second.Rows.Select(r => r.ValidationNdcg));
        Assert.Equal(first.Chosen, second.Chosen);
    }

    [Theory]
    [InlineData(1, 0.2)]
    [InlineData(2, 0.2)]
    [InlineData(7, 0.5)]
    public void TheValidationSplitPartitionsTheTrainingPairsAndNeverTouchesTestPairs(int seed, double fraction)
    {
        var data = ProtocolRunnerTests_Skewed();
        var outer = EvaluationProtocol.Warm.Split(data, seed);
        var validation = AlsSearch.ValidationSplit(outer.TrainMatrix, fraction, seed);

        var trainPairs = outer.Train.Select(x => (x.User, x.Item)).ToHashSet();
        var testPairs = outer.Test.Select(x => (x.User, x.Item)).ToHashSet();
        var fitPairs = validation.Train.Select(x => (x.User, x.Item)).ToList();
        var heldOut = validation.Test.Select(x => (x.User, x.Item)).ToList();
        Assert.NotEmpty(heldOut);
        Assert.Empty(fitPairs.Intersect(heldOut));
        Assert.True(trainPairs.SetEquals(fitPairs.Concat(heldOut)), "the validation split's two sides are exactly the outer training pairs");
        Assert.DoesNotContain(fitPairs, testPairs.Contains);
        Assert.DoesNotContain(heldOut, testPairs.Contains);
        Assert.All(validation.TestUsers, u => Assert.True(validation.TrainMatrix.RowLength(u) > 0));
    }

    [Fact]
    public void InAnEvaluationTheTunedTrainerSearchesTheTrainingPartOnly()
    {
        var data = Groups(groups: 4, usersPerGroup: 25);
        var options = new EvaluationOptions { Seeds = 2, CurveMaxK = 10 };
        var tuned = new List<TunedAlsTrainer>();
        var report = ProtocolRunner.Run(data, seed =>
        {
            var t = new TunedAlsTrainer(Basis with { Seed = seed }, new AlsTuningOptions { Grid = AlsGrid.Parse("factors=2,4;alpha=1;regularization=0.1", AlsGrid.Default(true)), Seed = seed });
            tuned.Add(t);
            return [t];
        }, EvaluationProtocol.Warm, options);

        Assert.Equal(TunedAlsTrainer.TunedName, Assert.Single(report.Models).Model);
        for (int i = 0; i < options.Seeds; i++)
        {
            var split = EvaluationProtocol.Warm.Split(data, options.SeedList[i]);
            var search = Assert.Single(tuned[i].Searches);
            Assert.Equal(split.TrainMatrix.NonZeros, search.SearchedPairs);
            Assert.True(search.ValidationPairs > 0 && search.ValidationPairs < search.SearchedPairs);
            Assert.Equal(2, search.Rows.Count);
        }
    }

    [Fact]
    public void TheDefaultGridSearchesLinearScalingOnlyOnBinaryData()
    {
        var binary = Groups(groups: 2, usersPerGroup: 10);
        var counts = Groups(groups: 2, usersPerGroup: 10, count: r => r.Next(1, 30));
        var small = new AlsTuningOptions { Grid = null };
        var onBinary = AlsSearch.Run(Matrix(binary), Basis with { Factors = 2, Iterations = 2 }, small with { Grid = null }, null);
        Assert.True(onBinary.Binary);
        Assert.All(onBinary.Rows, r => Assert.Equal("linear", r.Scaling));
        Assert.Equal(AlsGrid.Default(true).Count, onBinary.Rows.Count);

        var grid = AlsGrid.Default(binary: false);
        Assert.Equal([ConfidenceScaling.Log, ConfidenceScaling.Linear], grid.Scalings);
        Assert.False(AlsDataDefaults.IsBinary(Matrix(counts)));
    }

    private static InteractionMatrix Matrix(InteractionDataset d) => InteractionMatrix.FromInteractions(d.Interactions, d.UserCount, d.ItemCount);

    private static InteractionDataset ProtocolRunnerTests_Skewed() => Protocols.ProtocolRunnerTests.Skewed();
}
