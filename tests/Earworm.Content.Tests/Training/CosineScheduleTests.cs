using Earworm.Content.Training;

namespace Earworm.Content.Tests.Training;

public sealed class CosineScheduleTests
{
    [Theory]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(0.5, 0.0, 0.5)]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(0.0, 0.01, 1.0)]
    [InlineData(0.5, 0.01, 0.505)]
    [InlineData(1.0, 0.01, 0.01)]
    [InlineData(-3.0, 0.0, 1.0)]   // before the start: the full step
    [InlineData(7.0, 0.1, 0.1)]    // past the end: the floor
    public void The_factor_falls_along_half_a_cosine_from_one_to_the_floor(double progress, double floor, double expected) =>
        Assert.Equal(expected, CosineSchedule.Factor(progress, floor), 12);

    [Fact]
    public void A_quarter_of_the_way_it_is_the_cosine_of_a_quarter_turn_halved()
    {
        Assert.Equal(0.5 * (1 + Math.Sqrt(0.5)), CosineSchedule.Factor(0.25), 12);
        for (int i = 1; i <= 100; i++) Assert.True(CosineSchedule.Factor(i / 100.0) < CosineSchedule.Factor((i - 1) / 100.0));
    }
}
