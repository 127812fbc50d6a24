using Earworm.Learning;
using Earworm.Learning.Factorization;

namespace Earworm.Learning.Tests.Factorization;

public class AlsDataDefaultsTests
{
    private static InteractionMatrix Matrix(params (int User, int Item, float Count)[] entries) =>
        InteractionMatrix.FromInteractions(entries.Select(e => new Interaction(e.User, e.Item, e.Count)), 3, 3);

    [Fact]
    public void BinaryDefaultsOnlyWhenEveryCountIsOne()
    {
        Assert.Same(AlsDataDefaults.Binary, AlsDataDefaults.For(Matrix((0, 0, 1), (1, 2, 1), (2, 1, 1))));
        Assert.Same(AlsDataDefaults.PlayCounts, AlsDataDefaults.For(Matrix((0, 0, 1), (1, 2, 2), (2, 1, 1))));
        Assert.Same(AlsDataDefaults.PlayCounts, AlsDataDefaults.For(Matrix((0, 0, 0.5f))));
        // two records of one pair are one pair heard twice
        Assert.Same(AlsDataDefaults.PlayCounts, AlsDataDefaults.For(Matrix((0, 0, 1), (0, 0, 1), (1, 1, 1))));
        // nothing to tell from
        Assert.Same(AlsDataDefaults.PlayCounts, AlsDataDefaults.For(Matrix()));
    }

    [Fact]
    public void TheDefaultsAreValidAlsOptionsAndSayWhy()
    {
        foreach (var d in new[] { AlsDataDefaults.Binary, AlsDataDefaults.PlayCounts })
        {
            new AlsOptions { Scaling = d.Scaling, Alpha = d.Alpha, Regularization = d.Regularization }.Validate();
            Assert.False(string.IsNullOrWhiteSpace(d.Reason));
        }
        Assert.Equal(ConfidenceScaling.Log, AlsDataDefaults.PlayCounts.Scaling);
        Assert.Equal((1f, 10f), (AlsDataDefaults.PlayCounts.Alpha, AlsDataDefaults.PlayCounts.Regularization));
        Assert.Contains("every count is 1", AlsDataDefaults.Binary.Reason);
        Assert.Equal("log α 1 λ 10", AlsDataDefaults.PlayCounts.Values);
    }
}
