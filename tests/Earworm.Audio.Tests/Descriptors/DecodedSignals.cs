using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>Test signals as the scanner receives them: mono float32 from ffmpeg's <c>-ac 1</c>
/// down-mix, which sums L and R at −3 dB each, m = (L + R)/√2.</summary>
internal static class DecodedSignals
{
    public const int Rate = 22050;
    private const double MinusThreeDb = 0.70710678118654752;

    /// <summary>The decoder's mono down-mix of interleaved stereo.</summary>
    public static float[] DownMix(float[] interleavedStereo)
    {
        var mono = new float[interleavedStereo.Length / 2];
        for (int i = 0; i < mono.Length; i++)
            mono[i] = (float)(MinusThreeDb * ((double)interleavedStereo[2 * i] + interleavedStereo[2 * i + 1]));
        return mono;
    }

    /// <summary>A synthesised style track at its typical tempo, decoded to mono.</summary>
    public static (float[] Mono, TrackSpec Spec) Style(SynthStyle style, int seed = 1, double seconds = 30, int tonic = 9)
    {
        var spec = TrackSpec.Typical(style, tonic, seed, seconds);
        return (DownMix(Synthesizer.Render(spec, Rate).Samples), spec);
    }

    /// <summary>A 1 kHz stereo sine at each (peak dBFS per channel, seconds) step, decoded to mono.</summary>
    public static float[] SteppedSine(params (double LevelDbfs, double Seconds)[] steps)
    {
        var parts = steps.Select(s => DownMix(TestSignals.Sine(1000, s.LevelDbfs, s.Seconds, Rate, channels: 2)));
        return [.. parts.SelectMany(p => p)];
    }
}
