using Earworm.Audio.Excerpts;

namespace Earworm.Audio.Tests.Excerpts;

public class ExcerptPlannerTests
{
    private const int Rate = 22050;
    private static readonly ExcerptOptions Defaults = ExcerptOptions.Default;

    [Fact]
    public void AnEmptyTrackHasNoWindow() => Assert.Empty(ExcerptPlanner.Plan(0, Rate, Defaults));

    [Theory]
    [InlineData(1L)]
    [InlineData(30L * Rate)]
    [InlineData(60L * Rate)] // exactly the budget: still one window
    public void ATrackNoLongerThanTheBudgetIsKeptWhole(long samples)
    {
        var plan = ExcerptPlanner.Plan(samples, Rate, Defaults);
        Assert.Equal([new ExcerptWindow(0, (int)samples)], plan);
    }

    [Fact]
    public void ALongTrackGetsWindowsCentredEvenly()
    {
        // 600 s, six 10 s windows centred at 50, 150, ..., 550 s.
        var plan = ExcerptPlanner.Plan(600L * Rate, Rate, Defaults);
        var expected = Enumerable.Range(0, 6).Select(i => new ExcerptWindow((100L * i + 45) * Rate, 10 * Rate));
        Assert.Equal(expected, plan);
    }

    [Fact]
    public void OneSamplePastTheBudgetSwitchesToWindowsThatJustFit()
    {
        long total = 60L * Rate + 1;
        var plan = ExcerptPlanner.Plan(total, Rate, Defaults);
        Assert.Equal(6, plan.Count);
        Assert.Equal(0, plan[0].StartSample);
        AssertWellFormed(plan, total, 10 * Rate);
        Assert.True(plan[^1].EndSample >= total - 1, "windows cover all but the rounding slack");
    }

    [Fact]
    public void ABudgetThatIsNotAMultipleOfTheWindowKeepsWholeWindowsOnly()
    {
        var o = new ExcerptOptions { BudgetSeconds = 25, WindowSeconds = 10 };
        Assert.Single(ExcerptPlanner.Plan(25L * Rate, Rate, o)); // whole track up to the budget
        var plan = ExcerptPlanner.Plan(100L * Rate, Rate, o);
        Assert.Equal([new ExcerptWindow(20L * Rate, 10 * Rate), new ExcerptWindow(70L * Rate, 10 * Rate)], plan);
    }

    [Fact]
    public void WindowsAreSortedDisjointAndInsideForManyLengths()
    {
        var rng = new Random(17);
        for (int trial = 0; trial < 500; trial++)
        {
            long total = 60L * Rate + 1 + (long)(rng.NextDouble() * 3 * 3600 * Rate);
            var plan = ExcerptPlanner.Plan(total, Rate, Defaults);
            Assert.Equal(6, plan.Count);
            AssertWellFormed(plan, total, 10 * Rate);
        }
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExcerptPlanner.Plan(-1, Rate, Defaults));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExcerptPlanner.Plan(100, 0, Defaults));
        Assert.Throws<ArgumentException>(() => ExcerptPlanner.Plan(100, Rate, Defaults with { WindowSeconds = 0 }));
        Assert.Throws<ArgumentException>(() => ExcerptPlanner.Plan(100, Rate, Defaults with { BudgetSeconds = 5 }));
        Assert.Throws<ArgumentException>(() => ExcerptPlanner.Plan(100, Rate, Defaults with { BudgetSeconds = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => ExcerptPlanner.Plan(100, Rate, Defaults with { WindowSeconds = 1e-9, BudgetSeconds = 1e-9 }));
    }

    private static void AssertWellFormed(IReadOnlyList<ExcerptWindow> plan, long total, int windowSamples)
    {
        for (int i = 0; i < plan.Count; i++)
        {
            Assert.Equal(windowSamples, plan[i].SampleCount);
            Assert.InRange(plan[i].StartSample, 0, total - windowSamples);
            if (i > 0) Assert.True(plan[i - 1].EndSample <= plan[i].StartSample, $"windows {i - 1} and {i} overlap");
            // Centred at (i + 0.5)/k of the track, to the sample.
            double centre = (i + 0.5) / plan.Count * total;
            Assert.InRange(plan[i].StartSample + windowSamples / 2.0 - centre, -1, 1);
        }
    }
}
