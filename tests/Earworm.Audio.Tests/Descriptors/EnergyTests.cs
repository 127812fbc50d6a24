using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>Energy tells calm from intense, at the loudness the styles are mastered at and at equal
/// loudness; its formula on cases worked out by hand.</summary>
public class EnergyTests(ITestOutputHelper output)
{
    private const int Rate = DecodedSignals.Rate;
    private static readonly SynthStyle[] Calm = [SynthStyle.AmbientPad, SynthStyle.PianoBallad];
    private static readonly SynthStyle[] Intense = [SynthStyle.DrumAndBass, SynthStyle.Rock];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AmbientAndBalladsReadWellBelowDrumAndBassAndRock(bool equalLoudness)
    {
        var energy = new Dictionary<SynthStyle, double>();
        foreach (var style in Calm.Concat(Intense))
        {
            var (mono, _) = DecodedSignals.Style(style, seed: 1, seconds: 20);
            var d = TrackDescriptorAnalyzer.Analyze(mono, Rate);
            if (equalLoudness)
            {
                // Every style brought to −14 LUFS, the level streaming services play at.
                float gain = (float)Math.Pow(10, (-14 - d.IntegratedLoudnessLufs!.Value) / 20);
                d = TrackDescriptorAnalyzer.Analyze([.. mono.Select(v => v * gain)], Rate);
                Assert.Equal(-14, d.IntegratedLoudnessLufs!.Value, 0.1);
            }
            energy[style] = d.Energy;
            output.WriteLine($"{style}: energy {d.Energy:F3} at {d.IntegratedLoudnessLufs:F1} LUFS");
        }
        double calm = Calm.Max(s => energy[s]), intense = Intense.Min(s => energy[s]);
        Assert.True(intense - calm >= 0.2, $"calm styles up to {calm:F3}, intense from {intense:F3}");
    }

    [Fact]
    public void ThePartsAndTheirMeanFollowTheFormula()
    {
        var o = new EnergyOptions();
        // −24 LUFS: (−24 + 40)/32 = 0.5; centroid √(300·5000) Hz: half-way on the log scale; flatness 0.2: 0.5;
        // 2 onsets per second: 1 − 1/e; flux 1.5 dB: 0.5.
        var parts = Energy.Parts(-24, Math.Sqrt(300 * 5000), 0.2, 2, 1.5, o);
        Assert.Equal(0.5, parts.Loudness, 1e-12);
        Assert.Equal(0.5, parts.Brightness, 1e-12);
        Assert.Equal(0.5, parts.Noisiness, 1e-12);
        Assert.Equal(1 - Math.Exp(-1), parts.OnsetRate, 1e-12);
        Assert.Equal(0.5, parts.Flux, 1e-12);
        Assert.Equal(0.85 * 0.5 + 0.15 * (1 - Math.Exp(-1)), Energy.Combine(parts, o), 1e-12);
    }

    [Fact]
    public void EnergyStaysWithinZeroAndOne()
    {
        var o = new EnergyOptions();
        Assert.Equal(0, Energy.Combine(Energy.Parts(null, 0, 0, 0, 0, o), o));
        Assert.Equal(0, Energy.Combine(Energy.Parts(-90, 20, -1, -3, -2, o), o));
        Assert.Equal(1, Energy.Combine(Energy.Parts(0, 20_000, 1, 1000, 50, o), o), 1e-12);
        Assert.Throws<ArgumentException>(() => new EnergyOptions { Weights = [1, 1, 1] }.Validate());
        Assert.Throws<ArgumentException>(() => new EnergyOptions { Weights = [1, -1, 1, 1, 1] }.Validate());
        Assert.Equal(0, TrackDescriptorAnalyzer.Analyze(TestSignals.Silence(5, Rate), Rate).Energy);
    }
}
