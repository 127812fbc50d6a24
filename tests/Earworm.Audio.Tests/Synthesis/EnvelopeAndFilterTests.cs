using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Synthesis;

public class EnvelopeAndFilterTests
{
    private const int Rate = 44100;

    [Fact]
    public void AdsrRisesDecaysToSustainAndReleasesToSilence()
    {
        var env = new Adsr(AttackSeconds: 0.1, DecaySeconds: 0.2, SustainLevel: 0.5, ReleaseSeconds: 0.3);
        Assert.Equal(0, env.Level(0, 1));
        Assert.Equal(0.5, env.Level(0.05, 1), 1e-9);              // halfway up a linear attack
        Assert.Equal(1, env.Level(0.1, 1), 1e-9);
        Assert.Equal(0.5, env.Level(0.3, 1), 0.001);              // −60 dB of the way to sustain
        Assert.Equal(0.5, env.Level(0.9, 1), 1e-6);
        Assert.Equal(0.05, env.Level(1.1, 1), 0.001);            // a third of the release: −20 dB
        Assert.True(env.Level(1.2, 1) < 0.5 * 0.011);             // two thirds: −40 dB
        Assert.Equal(0, env.Level(1.3, 1));
        Assert.Equal((int)Math.Ceiling(1.3 * Rate), env.LengthSamples(1, Rate));
    }

    [Fact]
    public void AReleaseBeforeTheAttackEndsStartsFromTheLevelReachedSoNothingJumps()
    {
        var env = new Adsr(0.2, 0.1, 0.8, 0.1);
        double atGateOff = env.Level(0.05 - 1e-9, 0.05);
        Assert.Equal(0.25, atGateOff, 1e-6);
        Assert.Equal(atGateOff, env.Level(0.05, 0.05), 1e-4);
    }

    [Fact]
    public void ApplyShapesSamplesAndEndsAtZero()
    {
        var env = Adsr.Percussive(0.1, 0.05);
        var x = new float[env.LengthSamples(0.2, Rate)];
        Array.Fill(x, 1f);
        env.Apply(x, Rate, 0.2);
        Assert.Equal(0f, x[0]);
        Assert.True(x[(int)(0.002 * Rate)] > 0.99f);
        Assert.Equal(0f, x[^1], 1e-6f);
    }

    [Theory]
    [InlineData(0.01, 0.2, 0.6, 0.3, 0.5)]
    [InlineData(0.3, 0.1, 0.8, 0.1, 0.05)]       // released during the attack
    [InlineData(0.0, 0.0, 1.0, 0.0, 0.2)]        // organ: a plain gate
    [InlineData(0.002, 0.5, 0.0, 0.05, 1.0)]     // percussive
    public void ApplyFollowsLevelSampleBySample(double a, double d, double s, double r, double gate)
    {
        const int rate = 8000;
        var env = new Adsr(a, d, s, r);
        var x = new float[env.LengthSamples(gate, rate) + 10];
        Array.Fill(x, 1f);
        env.Apply(x, rate, gate);
        for (int i = 0; i < x.Length; i++) Assert.Equal(env.Level((double)i / rate, gate), x[i], 1e-4);
    }

    [Fact]
    public void BadEnvelopesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adsr(-1, 0, 1, 0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adsr(0, 0, 1.5, 0).Validate());
    }

    [Theory]
    [InlineData(100, 0.0, 0.5)]       // well below the cutoff: passes
    [InlineData(1000, -3.0, 0.5)]     // at the cutoff: −3 dB
    [InlineData(4000, -24.0, 1.0)]    // two octaves above: 12 dB/octave
    public void TheLowPassHasAButterworthResponse(double hz, double expectedDb, double toleranceDb)
    {
        Assert.Equal(expectedDb, GainDb(Biquad.LowPass(1000, Rate), hz), toleranceDb);
    }

    [Fact]
    public void TheHighPassBlocksLowsAndPassesHighs()
    {
        Assert.True(GainDb(Biquad.HighPass(1000, Rate), 100) < -35);
        Assert.Equal(0, GainDb(Biquad.HighPass(1000, Rate), 10000), 0.5);
    }

    [Fact]
    public void TheOnePoleLowPassIsThreeDecibelsDownAtItsCutoff()
    {
        var f = new OnePoleLowPass(500, Rate);
        var x = new float[Rate];
        Oscillator.AddSine(500, Rate, x);
        f.Process(x);
        Assert.Equal(-3, 20 * Math.Log10(AudioMeasures.Rms(x.AsSpan(Rate / 2)) * Math.Sqrt(2)), 0.3);
    }

    private static double GainDb(Biquad filter, double hz)
    {
        var x = new float[Rate];
        Oscillator.AddSine(hz, Rate, x);
        filter.Process(x);
        return 20 * Math.Log10(AudioMeasures.Rms(x.AsSpan(Rate / 2)) * Math.Sqrt(2));
    }
}
