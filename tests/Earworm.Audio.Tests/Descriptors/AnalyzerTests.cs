using System.Reflection;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>The analyzer as a whole: silence, streaming in any chunking, options, other sample rates.</summary>
public class AnalyzerTests(ITestOutputHelper output)
{
    private const int Rate = DecodedSignals.Rate;

    [Theory]
    [InlineData(10.0)]
    [InlineData(0.05)]
    [InlineData(0.0)]
    public void SilenceIsFlaggedAndNothingIsNaN(double seconds)
    {
        var result = TrackDescriptorAnalyzer.Analyze(TestSignals.Silence(seconds, Rate), Rate);
        Assert.True(result.IsSilent);
        Assert.Null(result.TempoBpm);
        Assert.Null(result.KeyTonic);
        Assert.Null(result.KeyName);
        Assert.Null(result.CamelotCode);
        Assert.Null(result.IntegratedLoudnessLufs);
        Assert.Null(result.RmsDbfs);
        Assert.Empty(result.BeatTimesSeconds);
        Assert.Equal(0, result.Energy);
        Assert.Equal(0, result.Danceability);
        Assert.Equal(0, result.SpectralCentroidHz);
        Assert.Equal(0, result.ZeroCrossingsPerSecond);
        Assert.Equal(seconds, result.DurationSeconds, 1.0 / Rate);
        Assert.All(result.MfccMeans, v => Assert.Equal(0, v));
        AssertAllFinite(result);
        Assert.All(DescriptorSpace.Vector(result), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void NoValueIsEverNaNOnAnyTestSignal()
    {
        float[][] signals =
        [
            TestSignals.Sine(1000, -90, 3, Rate),
            TestSignals.Sine(50, -3, 0.3, Rate),
            TestSignals.WhiteNoise(1, Rate, seed: 1),
            TestSignals.ClickTrack(100, 2, Rate),
            [1f, -1f, 1f],
        ];
        foreach (var x in signals) AssertAllFinite(TrackDescriptorAnalyzer.Analyze(x, Rate));
    }

    [Fact]
    public void PushingInChunksOf1And333And100000GivesTheSameResult()
    {
        var (x, _) = DecodedSignals.Style(SynthStyle.House, seconds: 12);
        var whole = Analyze(x, x.Length);
        foreach (int chunk in new[] { 1, 333, 100_000 })
        {
            var chunked = Analyze(x, chunk);
            var a = Flatten(whole);
            var b = Flatten(chunked);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], Math.Max(1e-9, 1e-9 * Math.Abs(a[i])));
            Assert.Equal(whole.KeyName, chunked.KeyName);
            Assert.Equal(whole.IsSilent, chunked.IsSilent);
        }
        output.WriteLine($"House, 12 s: {whole.TempoBpm:F2} BPM, {whole.KeyName}, {whole.IntegratedLoudnessLufs:F2} LUFS, {whole.BeatTimesSeconds.Count} beats");
    }

    [Fact]
    public void TheStreamingModulesAgreeWithOneShotWithinFloatTolerance()
    {
        var (x, _) = DecodedSignals.Style(SynthStyle.Rock, seconds: 8);
        var oneShot = new LoudnessMeter(Rate);
        oneShot.Push(x);
        var chunked = new LoudnessMeter(Rate);
        for (int i = 0; i < x.Length; i += 777) chunked.Push(x.AsSpan(i, Math.Min(777, x.Length - i)));
        Assert.Equal(oneShot.Result().IntegratedLufs!.Value, chunked.Result().IntegratedLufs!.Value, 1e-4);

        var whole = new Decimator(4);
        var a = new float[whole.MaxOutputLength(x.Length)];
        int n = whole.Process(x, a);
        n += whole.Flush(a.AsSpan(n));
        var pieces = new Decimator(4);
        var b = new float[a.Length];
        int m = 0;
        for (int i = 0; i < x.Length; i += 101) m += pieces.Process(x.AsSpan(i, Math.Min(101, x.Length - i)), b.AsSpan(m));
        m += pieces.Flush(b.AsSpan(m));
        Assert.Equal((x.Length + 3) / 4, n);
        Assert.Equal(n, m);
        for (int i = 0; i < n; i++) Assert.Equal(a[i], b[i]);
    }

    [Fact]
    public void TheDecimatorPassesTheChromaBandAndStopsItsAliases()
    {
        foreach (var (hz, expectedDb, tolerance) in new[] { (200.0, 0.0, 0.1), (1500.0, 0.0, 0.5), (4500.0, -60.0, 15.0) })
        {
            var x = TestSignals.Sine(hz, 0, 2, Rate);
            var d = new Decimator(4);
            var y = new float[d.MaxOutputLength(x.Length)];
            int n = d.Process(x, y);
            double inRms = Math.Sqrt(x.Skip(4000).Take(30000).Average(v => (double)v * v));
            double outRms = Math.Sqrt(y.Skip(1000).Take(n - 2000).Average(v => (double)v * v));
            double gainDb = 20 * Math.Log10(outRms / inRms);
            output.WriteLine($"{hz} Hz: {gainDb:F2} dB");
            if (expectedDb < 0) Assert.True(gainDb < -45, $"{hz} Hz leaks at {gainDb:F1} dB");
            else Assert.Equal(expectedDb, gainDb, tolerance);
        }
    }

    [Fact]
    public void PushAfterResultIsRefusedAndResultIsStable()
    {
        var analyzer = new TrackDescriptorAnalyzer();
        analyzer.Push(TestSignals.ClickTrack(120, 5, Rate));
        var first = analyzer.Result();
        Assert.Same(first, analyzer.Result());
        Assert.Throws<InvalidOperationException>(() => analyzer.Push(new float[10]));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new TrackDescriptorAnalyzer(new TrackDescriptorOptions { SampleRate = 4000 }));
        Assert.Throws<ArgumentException>(() => new TrackDescriptorAnalyzer(new TrackDescriptorOptions { SpectralFftSize = 1000 }));
        Assert.Throws<ArgumentException>(() => new TrackDescriptorAnalyzer(new TrackDescriptorOptions { MfccCount = 200 }));
        Assert.Throws<ArgumentException>(() => new TrackDescriptorAnalyzer(new TrackDescriptorOptions { DecimationFactor = 8 })); // chroma band above Nyquist
        Assert.Throws<ArgumentException>(() => new TrackDescriptorAnalyzer(new TrackDescriptorOptions { Energy = new EnergyOptions { LoudLufs = -50 } }));
        TrackDescriptorOptions.Default.Validate();
    }

    [Fact]
    public void At44100HzTheScaledOptionsMeasureTheSame()
    {
        const int rate = 44100;
        var options = TrackDescriptorOptions.ForSampleRate(rate);
        Assert.Equal(8, options.DecimationFactor);
        Assert.Equal(4096, options.SpectralFftSize);
        var clicks = TrackDescriptorAnalyzer.Analyze(TestSignals.ClickTrack(128, 20, rate), rate);
        Assert.Equal(128, clicks.TempoBpm!.Value, 128 * 0.01);
        var sine = TestSignals.Sine(1000, -23, 10, rate, channels: 2);
        var mono = DecodedSignals.DownMix(sine);
        var loud = TrackDescriptorAnalyzer.Analyze(mono, rate);
        Assert.Equal(-23, loud.IntegratedLoudnessLufs!.Value, 0.1);
        var key = TrackDescriptorAnalyzer.Analyze(TestSignals.ChordProgression(2, Mode.Major, Timbre.Organ, rate, repeats: 2), rate);
        Assert.Equal("D major", key.KeyName);
    }

    private static TrackDescriptors Analyze(float[] x, int chunk)
    {
        var analyzer = new TrackDescriptorAnalyzer();
        for (int i = 0; i < x.Length; i += chunk) analyzer.Push(x.AsSpan(i, Math.Min(chunk, x.Length - i)));
        return analyzer.Result();
    }

    // Every number the descriptors hold, in a fixed order.
    private static double[] Flatten(TrackDescriptors d) =>
    [
        d.DurationSeconds, d.TempoBpm ?? -1, d.TempoConfidence, d.KeyTonic ?? -1, d.KeyConfidence,
        d.IntegratedLoudnessLufs ?? -1, d.LoudnessRangeLu, d.RmsDbfs ?? -1, d.Energy, d.Danceability,
        d.SpectralCentroidHz, d.SpectralFlatness, d.ZeroCrossingsPerSecond, d.OnsetsPerSecond, d.DynamicComplexityLu,
        d.BeatTimesSeconds.Count, .. d.BeatTimesSeconds, .. d.MfccMeans, .. d.MfccStandardDeviations,
    ];

    private static void AssertAllFinite(TrackDescriptors d)
    {
        foreach (var property in typeof(TrackDescriptors).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value = property.GetValue(d);
            switch (value)
            {
                case double v: Assert.True(double.IsFinite(v), $"{property.Name} = {v}"); break;
                case IReadOnlyList<double> list: Assert.All(list, v => Assert.True(double.IsFinite(v), $"{property.Name} holds {v}")); break;
            }
        }
    }
}
