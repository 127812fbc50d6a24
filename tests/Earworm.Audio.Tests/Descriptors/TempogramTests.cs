using Earworm.Audio.Descriptors;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>The pure parts of <see cref="TempoEstimator"/> on envelopes built by hand.</summary>
public class TempogramTests
{
    private const double Fps = 5512.5 / 128;

    // An onset envelope with a spike of height 1 every `period` frames (rounded), from frame 3.
    private static double[] Pulses(double period, int frames, double halfWay = 0)
    {
        var e = new double[frames];
        for (double t = 3; t < frames; t += period)
        {
            e[(int)Math.Round(t)] = 1;
            int h = (int)Math.Round(t + period / 2);
            if (halfWay > 0 && h < frames) e[h] = halfWay;
        }
        return e;
    }

    [Fact]
    public void APulseTrainPeaksAtItsPeriodAndItsMultiples()
    {
        var t = TempoEstimator.Tempogram(Pulses(20, 2000), 383, 16, 90)!;
        Assert.Equal(1.0, t[0], 12);
        foreach (int lag in new[] { 20, 40, 60, 80 })
        {
            Assert.True(t[lag] > 0.6, $"T({lag}) = {t[lag]:F3}");   // the Hann windows taper long lags
            Assert.True(t[lag] >= t[lag - 1] && t[lag] >= t[lag + 1], $"no peak at {lag}");
        }
        Assert.True(t[10] < 0.05 && t[30] < 0.05, $"T(10) = {t[10]:F3}, T(30) = {t[30]:F3}");
    }

    [Fact]
    public void AConstantOrTooShortEnvelopeHasNoTempogram()
    {
        Assert.Null(TempoEstimator.Tempogram(new double[1000], 383, 16, 90));
        Assert.Null(TempoEstimator.Tempogram(Enumerable.Repeat(2.5, 1000).ToArray(), 383, 16, 90));
        Assert.Null(TempoEstimator.Tempogram(Pulses(20, 300), 383, 16, 90));
    }

    [Fact]
    public void RippleBelowTheDeviationFloorIsLeftOut()
    {
        // a periodic ripple of ±0.02 (a steady tone's frames drifting against the hop) is no pulse
        var ripple = Enumerable.Range(0, 2000).Select(i => 0.1 + 0.02 * Math.Sin(2 * Math.PI * i / 23)).ToArray();
        Assert.NotNull(TempoEstimator.Tempogram(ripple, 383, 16, 90));
        Assert.Null(TempoEstimator.Tempogram(ripple, 383, 16, 90, minDeviation: 0.1));
        Assert.Null(TempoEstimator.Estimate(ripple, Fps, new TempoOptions()));
    }

    [Fact]
    public void EveryWindowCountsTheSameHoweverLoud()
    {
        // the first half loud and at period 20, the second half 100 times quieter at period 25:
        // both periods show, with about the same height
        var e = new double[4000];
        for (int t = 3; t < 2000; t += 20) e[t] = 100;
        for (int t = 2003; t < 4000; t += 25) e[t] = 1;
        var tg = TempoEstimator.Tempogram(e, 383, 16, 90)!;
        Assert.True(tg[20] > 0.25 && tg[25] > 0.25, $"T(20) = {tg[20]:F3}, T(25) = {tg[25]:F3}");
        Assert.True(Math.Abs(tg[20] - tg[25]) < 0.15, $"T(20) = {tg[20]:F3}, T(25) = {tg[25]:F3}");
    }

    [Fact]
    public void SalienceAddsHalfTheBarLevel()
    {
        var t = new double[100];
        t[20] = 0.6;
        t[40] = 0.4;
        Assert.Equal(0.6 + 0.5 * 0.4, TempoEstimator.Salience(t, 20, 0.6, 0.5), 12);
        Assert.Equal(0.6, TempoEstimator.Salience(t, 20, 0.6, 0), 12);
        // twice the lag beyond the tempogram, or negative there: the height alone
        Assert.Equal(0.3, TempoEstimator.Salience(t, 60, 0.3, 0.5), 12);
        t[40] = -0.2;
        Assert.Equal(0.6, TempoEstimator.Salience(t, 20, 0.6, 0.5), 12);
    }

    [Fact]
    public void DoubleTimeNeedsOnsetsHalfWay()
    {
        // clicks every 15 frames: a candidate period of 30 has its half-way onsets, one of 30 built
        // of clicks every 30 frames has none
        var even = TempoEstimator.Tempogram(Pulses(15, 3000), 383, 16, 150)!;
        var sparse = TempoEstimator.Tempogram(Pulses(30, 3000), 383, 16, 150)!;
        Assert.True(TempoEstimator.IsDoubleTime(even, 30, 0.52));
        Assert.False(TempoEstimator.IsDoubleTime(sparse, 30, 0.52));
    }

    [Fact]
    public void ThePriorIsALogNormalAroundItsCentre()
    {
        var options = new TempoOptions { PriorCentreBpm = 120, PriorOctaves = 0.7 };
        Assert.Equal(1.0, TempoEstimator.Prior(120, options), 12);
        Assert.Equal(Math.Exp(-0.5), TempoEstimator.Prior(120 * Math.Pow(2, 0.7), options), 12);
        Assert.Equal(TempoEstimator.Prior(60, options), TempoEstimator.Prior(240, options), 12);
    }

    [Fact]
    public void APulseTrainGivesItsTempoAndAClearConfidence()
    {
        // 1 400 frames at 43.07 per second, clicks every 21.53 frames: 120 BPM
        var estimate = TempoEstimator.Estimate(Pulses(Fps / 2, 1400), Fps, new TempoOptions())!;
        Assert.Equal(120, estimate.Bpm, 120 * 0.01);
        Assert.True(estimate.Confidence > 0.8, $"confidence {estimate.Confidence:F3}");
    }

    [Fact]
    public void RandomOnsetsGiveALowConfidence()
    {
        // onsets at random times: a tempo is still named, but the confidence says it is a guess
        var random = new Random(7);
        var e = new double[6000];
        for (int i = 0; i < e.Length; i++) e[i] = random.NextDouble() < 0.15 ? random.NextDouble() : 0;
        var estimate = TempoEstimator.Estimate(e, Fps, new TempoOptions());
        Assert.True(estimate is null || estimate.Confidence < 0.15, $"confidence {estimate?.Confidence:F3}");
    }
}
