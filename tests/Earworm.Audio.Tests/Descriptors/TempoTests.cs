using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>Tempo and beats on signals whose tempo is known exactly: an octave error (half or
/// double tempo) is a failure like any other.</summary>
public class TempoTests(ITestOutputHelper output)
{
    private const int Rate = DecodedSignals.Rate;

    public static TheoryData<double> Tempi => [60, 90, 100, 120, 128, 140, 174];

    [Theory]
    [MemberData(nameof(Tempi))]
    public void AClickTrackGivesItsTempoWithinOnePercent(double bpm)
    {
        var result = TrackDescriptorAnalyzer.Analyze(TestSignals.ClickTrack(bpm, 25, Rate, firstClickSeconds: 0.3), Rate);
        Report("clicks", bpm, result);
        AssertTempo(bpm, result, 0.01);
    }

    [Theory]
    [MemberData(nameof(Tempi))]
    public void ADrumPatternGivesItsTempoWithinOnePercent(double bpm)
    {
        var result = TrackDescriptorAnalyzer.Analyze(TestSignals.DrumPattern(bpm, 25, Rate, seed: 3, firstBeatSeconds: 0.2), Rate);
        Report("drums", bpm, result);
        AssertTempo(bpm, result, 0.01);
    }

    [Theory]
    [InlineData(SynthStyle.House)]
    [InlineData(SynthStyle.DrumAndBass)]
    [InlineData(SynthStyle.Rock)]
    [InlineData(SynthStyle.Chiptune)]
    public void AStyledTrackGivesItsTempoWithinTwoPercent(SynthStyle style)
    {
        foreach (int seed in new[] { 1, 2 })
        {
            var (mono, spec) = DecodedSignals.Style(style, seed);
            var result = TrackDescriptorAnalyzer.Analyze(mono, Rate);
            Report($"{style} seed {seed}", spec.TempoBpm, result);
            AssertTempo(spec.TempoBpm, result, 0.02);
        }
    }

    [Fact]
    public void TheBeatsOfAClickTrackFallOnTheClicks()
    {
        // MIREX-style F-measure with a ±70 ms window over the clicks after the first second.
        const double bpm = 120, first = 0.25;
        var result = TrackDescriptorAnalyzer.Analyze(TestSignals.ClickTrack(bpm, 20, Rate, firstClickSeconds: first), Rate);
        var truth = Enumerable.Range(0, 40).Select(k => first + k * 0.5).Where(t => t > 1 && t < 19).ToArray();
        var beats = result.BeatTimesSeconds.Where(t => t > 1 && t < 19).ToArray();
        double f = FMeasure(beats, truth, 0.07);
        double meanOffsetMs = 1000 * beats.Select(b => truth.MinBy(t => Math.Abs(t - b)) - b).Average();
        output.WriteLine($"{beats.Length} beats, F = {f:F3}, mean click − beat {meanOffsetMs:F1} ms");
        Assert.True(f >= 0.95, $"F-measure {f:F3}");
    }

    [Fact]
    public void TheBeatsOfAStyledTrackFollowItsGrid()
    {
        var spec = TrackSpec.Typical(SynthStyle.House, seed: 2, durationSeconds: 30);
        var track = Synthesizer.Render(spec, Rate);
        var result = TrackDescriptorAnalyzer.Analyze(DecodedSignals.DownMix(track.Samples), Rate);
        var truth = track.BeatTimesSeconds.Where(t => t > 2 && t < 28).ToArray();
        var beats = result.BeatTimesSeconds.Where(t => t > 2 && t < 28).ToArray();
        double f = FMeasure(beats, truth, 0.07);
        output.WriteLine($"House: {beats.Length} beats against {truth.Length}, F = {f:F3}");
        Assert.True(f >= 0.9, $"F-measure {f:F3}");
    }

    [Fact]
    public void OnsetsOfAClickTrackAreCountedOncePerClick()
    {
        var result = TrackDescriptorAnalyzer.Analyze(TestSignals.ClickTrack(120, 20, Rate, firstClickSeconds: 0.25), Rate);
        output.WriteLine($"onsets per second {result.OnsetsPerSecond:F3}");
        Assert.Equal(2.0, result.OnsetsPerSecond, 0.1);
    }

    [Fact]
    public void AnEnvelopeWithoutOnsetsHasNoTempo()
    {
        Assert.Null(TempoEstimator.Estimate(new double[2000], 43, new TempoOptions()));
        Assert.Null(TempoEstimator.Estimate(new double[10], 43, new TempoOptions()));
        var sine = TrackDescriptorAnalyzer.Analyze(TestSignals.Sine(440, -10, 10, Rate), Rate);
        Assert.True(sine.TempoBpm is null || sine.TempoConfidence < 0.2, $"a steady sine gave {sine.TempoBpm} BPM at confidence {sine.TempoConfidence}");
    }

    [Fact]
    public void TheTempoOptionsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new TempoOptions { MinBpm = 200, MaxBpm = 100 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { PriorOctaves = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { MinDoubleTimeBpm = 220, MaxDoubleTimeBpm = 200 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { WindowSeconds = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { BarWeight = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { MinDoubleTimeClarity = -0.1 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { MinWindowDeviation = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { TernaryMargin = -0.1 }.Validate());
        Assert.Throws<ArgumentException>(() => new TempoOptions { MinHalfBeatRatio = -1 }.Validate());
    }

    private void Report(string what, double bpm, TrackDescriptors result)
    {
        double? error = result.TempoBpm is double t ? 100 * (t - bpm) / bpm : null;
        output.WriteLine($"{what} at {bpm} BPM: measured {result.TempoBpm:F3} BPM (error {error:+0.000;-0.000} %), " +
                         $"confidence {result.TempoConfidence:F2}, {result.BeatTimesSeconds.Count} beats");
    }

    private static void AssertTempo(double bpm, TrackDescriptors result, double tolerance)
    {
        Assert.NotNull(result.TempoBpm);
        double relative = Math.Abs(result.TempoBpm.Value - bpm) / bpm;
        Assert.True(relative <= tolerance, $"expected {bpm} BPM ± {tolerance:P0}, measured {result.TempoBpm:F2}");
    }

    // Beat-tracking F-measure: a detection matches at most one unmatched reference within ±window.
    private static double FMeasure(double[] detected, double[] reference, double window)
    {
        var used = new bool[reference.Length];
        int hits = 0;
        foreach (double d in detected)
        {
            int best = -1;
            for (int i = 0; i < reference.Length; i++)
            {
                if (!used[i] && Math.Abs(reference[i] - d) <= window && (best < 0 || Math.Abs(reference[i] - d) < Math.Abs(reference[best] - d))) best = i;
            }
            if (best >= 0) { used[best] = true; hits++; }
        }
        if (detected.Length == 0 || reference.Length == 0) return 0;
        double precision = (double)hits / detected.Length, recall = (double)hits / reference.Length;
        return hits == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
