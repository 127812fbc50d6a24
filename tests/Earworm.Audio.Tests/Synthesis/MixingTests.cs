using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Synthesis;

public class MixingTests
{
    [Fact]
    public void TheLimiterLeavesQuietSamplesAloneAndNeverPassesFullScale()
    {
        float[] x = [0.5f, -0.79f, 0.9f, -3f, 100f, float.MaxValue];
        SoftLimiter.Apply(x);
        Assert.Equal(0.5f, x[0]);
        Assert.Equal(-0.79f, x[1]);
        Assert.InRange(x[2], 0.8f, 0.9f);
        Assert.All(x, v => Assert.InRange(v, -1f, 1f));
        Assert.True(SoftLimiter.Curve(0.95) > SoftLimiter.Curve(0.9));   // monotonic
    }

    [Fact]
    public void PanningIsEqualPowerAndVoicesPastTheEndAreCut()
    {
        var mixer = new StereoMixer(4);
        mixer.Add([1f, 1f, 1f], startFrame: 2, gain: 1f, pan: -1f);
        mixer.Add([1f], startFrame: -5);                                   // entirely before the start
        var outL = mixer.Finish(1000, targetRmsDbfs: 0, maxPeakBeforeLimit: 100, fadeInSeconds: 0, fadeOutSeconds: 0);
        Assert.Equal(8, outL.Length);
        Assert.Equal(0f, outL[1 + 2 * 2], 1e-6f);                          // hard left: nothing on the right
        Assert.True(outL[2 * 2] > 0);

        var centre = new StereoMixer(1);
        centre.Add([1f], 0, 1f, 0f);
        var c = centre.Finish(1000, targetRmsDbfs: -40, fadeInSeconds: 0, fadeOutSeconds: 0);
        Assert.Equal(c[0], c[1]);
    }

    [Fact]
    public void FinishReachesTheTargetLoudnessWhenPeaksAllowIt()
    {
        var mixer = new StereoMixer(44100);
        var tone = new float[44100];
        Oscillator.AddSine(220, 44100, tone, 0.01f);
        mixer.Add(tone, 0);
        var x = mixer.Finish(44100, targetRmsDbfs: -20, fadeInSeconds: 0, fadeOutSeconds: 0);
        Assert.Equal(-20, 20 * Math.Log10(AudioMeasures.Rms(x)), 0.1);
    }
}
