using Earworm.Audio.Descriptors;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>The ternary and double-time decisions on envelopes built by hand.</summary>
public class MetricalLevelTests
{
    private const int Window = 383, Hop = 16;

    // Pulses every `tau` frames (fractional), every `group`-th one accented.
    private static double[] Pulses(double tau, int group, double accent, int frames = 3000)
    {
        var e = new double[frames];
        for (int k = 0; k * tau < frames; k++) e[(int)Math.Round(k * tau)] += k % group == 0 ? accent : 1;
        return e;
    }

    private static double Contrast(double[] envelope, double tau)
    {
        var tempogram = TempoEstimator.Tempogram(envelope, Window, Hop, Window - 1)!;
        return MetricalLevel.TernaryContrast(tempogram, MetricalLevel.HannTaper(Window, Window - 1), tau);
    }

    [Fact]
    public void EighthsAccentedInThreesAreTernaryAndInTwosOrFoursAreNot()
    {
        const double tau = 14.36;   // eighth notes at 180 per minute at 43 frames per second
        Assert.True(Contrast(Pulses(tau, 3, 3), tau) > 0.3);
        Assert.True(Contrast(Pulses(tau, 2, 3), tau) < 0);
        Assert.True(Contrast(Pulses(tau, 4, 3), tau) < 0);
        Assert.InRange(Contrast(Pulses(tau, 1, 1), tau), -0.1, 0.1);     // all alike: no grouping to see
    }

    [Fact]
    public void TheTernaryBeatIsThreeEighthsOrOneAndAHalfOfTwo()
    {
        const double tau = 14.36;
        var tempogram = TempoEstimator.Tempogram(Pulses(tau, 3, 3), Window, Hop, Window - 1)!;
        var taper = MetricalLevel.HannTaper(Window, Window - 1);
        Assert.Equal(3 * tau, MetricalLevel.TernaryBeat(tempogram, taper, tau, 20, 65, 0.15, 0.5)!.Value, 1e-9);
        Assert.Equal(3 * tau, MetricalLevel.TernaryBeat(tempogram, taper, 2 * tau, 20, 65, 0.15, 0.5)!.Value, 1e-9);
        Assert.Null(MetricalLevel.TernaryBeat(tempogram, taper, tau, 20, 40, 0.15, 0.5));     // 3τ beyond the slowest beat
        var binary = TempoEstimator.Tempogram(Pulses(tau, 2, 3), Window, Hop, Window - 1)!;
        Assert.Null(MetricalLevel.TernaryBeat(binary, taper, tau, 20, 65, 0.15, 0.5));
    }

    [Fact]
    public void TheTaperIsOneAtLagZeroAndFallsToNearZeroAtTheWindowsEnd()
    {
        var taper = MetricalLevel.HannTaper(Window, Window - 1);
        Assert.Equal(1, taper[0], 1e-12);
        Assert.True(taper[100] is > 0.5 and < 0.8);
        Assert.True(taper[^1] < 1e-4);
    }

    [Fact]
    public void HalfBeatRatioIsZeroForClicksAndNearOneForAnEvenSubdivision()
    {
        const double period = 28.7;
        Assert.Equal(0, MetricalLevel.HalfBeatRatio(Pulses(period, 1, 1), period, Window, Window / 2), 1e-9);
        Assert.InRange(MetricalLevel.HalfBeatRatio(Pulses(period / 2, 1, 1), period, Window, Window / 2), 0.8, 1.25);
        Assert.InRange(MetricalLevel.HalfBeatRatio(Pulses(period / 2, 2, 3), period, Window, Window / 2), 0.2, 0.45);
    }
}
