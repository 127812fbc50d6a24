using Earworm.Evaluation.Tuning;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tests.Tuning;

public class AlsGridTests
{
    [Fact]
    public void ASpecReplacesTheDimensionsItNamesOnly()
    {
        var basis = AlsGrid.Default(binary: false);
        var grid = AlsGrid.Parse(" alpha = 1, 4 ; lambda=0.5; scaling=LINEAR ", basis);
        Assert.Equal([1f, 4f], grid.Alphas);
        Assert.Equal([0.5f], grid.Regularizations);
        Assert.Equal([ConfidenceScaling.Linear], grid.Scalings);
        Assert.Equal(basis.Factors, grid.Factors);
        Assert.Equal(basis.Iterations, grid.Iterations);
        Assert.Equal(2 * basis.Factors.Count * basis.Iterations.Count, grid.Count);
        Assert.Contains("(" + grid.Count + " configurations)", grid.Describe());
    }

    [Fact]
    public void ConfigurationsEnumerateTheWholeGridWithAlphaFastest()
    {
        var grid = AlsGrid.Parse("scaling=log;alpha=1,2;regularization=0.1;factors=8,16;iterations=3", AlsGrid.Default(false));
        var basis = new AlsOptions { Seed = 9, Threads = 1 };
        var all = grid.Configurations(basis).ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal([(8, 1f), (8, 2f), (16, 1f), (16, 2f)], all.Select(o => (o.Factors, o.Alpha)));
        Assert.All(all, o => Assert.Equal((9, 1, 3, ConfidenceScaling.Log), (o.Seed, o.Threads, o.Iterations, o.Scaling)));
    }

    [Theory]
    [InlineData("beta=1", "unknown grid key")]
    [InlineData("alpha=one", "not a number")]
    [InlineData("factors=1.5", "not a whole number")]
    [InlineData("alpha", "KEY=VALUE")]
    [InlineData("alpha=-1", "Alpha")]
    [InlineData("factors=0", "Factors")]
    [InlineData("scaling=sqrt", "log or linear")]
    [InlineData("alpha=1,2,3,4,5,6,7,8,9,10;regularization=1,2,3,4,5,6,7,8,9,10;factors=1,2,3,4,5,6,7,8,9,10,11", "more than 1000")]
    public void ABadSpecIsAUsageErrorSayingWhy(string spec, string expected)
    {
        var e = Assert.Throws<UsageException>(() => AlsGrid.Parse(spec, AlsGrid.Default(false)));
        Assert.Contains(expected, e.Message);
    }
}
