using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>
/// BS.1770-4 / EBU R 128 loudness on the EBU Tech 3341 and 3342 test signals, fed as the decoder
/// delivers them: 1 kHz stereo sines down-mixed to mono m = (L + R)/√2.
/// </summary>
/// <remarks>
/// Why −23 dBFS reads −23 LUFS: BS.1770 defines L = −0.691 + 10·log10(Σ_c z_c), z_c the K-weighted
/// mean square of channel c. The constant −0.691 cancels the K-filter's gain at 1 kHz (+0.691 dB
/// at 48 kHz), which is why BS.1770 can state that a 0 dBFS 1 kHz sine in one channel reads
/// −3.01 LKFS (10·log10 ½). Two channels each A·sin: z_L + z_R = A²·|H(1k)|², so L = 20·log10 A —
/// a −23 dBFS stereo sine reads −23 LUFS (Tech 3341 case 1). The decoder's mono m = √2·A·sin has
/// the same z = A²·|H(1k)|², so the mono reading is also 20·log10 A + (G − 0.691), G being the
/// K-filter's gain at 1 kHz in dB for the actual sample rate. Derived for 22 050 Hz from the analog
/// prototype, the shelf's bilinear warping makes G slightly larger than at 48 kHz; the tests check
/// both the EBU tolerance (±0.1 LU around −23) and that the meter reads exactly the value G predicts.
/// </remarks>
public class LoudnessTests(ITestOutputHelper output)
{
    private const int Rate = DecodedSignals.Rate;

    [Fact]
    public void TheKWeightingDerivedFor48kHzReproducesTheBs1770Table()
    {
        var (shelfB, shelfA) = KWeightingFilter.ShelfCoefficients(48000);
        var (highB, highA) = KWeightingFilter.HighPassCoefficients(48000);
        double[] tableShelfB = [1.53512485958697, -2.69169618940638, 1.19839281085285];
        double[] tableShelfA = [1.0, -1.69065929318241, 0.73248077421585];
        double[] tableHighB = [1.0, -2.0, 1.0];
        double[] tableHighA = [1.0, -1.99004745483398, 0.99007225036621];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(tableShelfB[i], shelfB[i], 1e-8);
            Assert.Equal(tableShelfA[i], shelfA[i], 1e-8);
            Assert.Equal(tableHighB[i], highB[i], 1e-12);
            Assert.Equal(tableHighA[i], highA[i], 1e-8);
        }
    }

    [Fact]
    public void TheBlockFilterAgreesWithTheDirectFormBiquads()
    {
        var (x, _) = DecodedSignals.Style(SynthStyle.Rock, seconds: 6);
        var fast = new float[x.Length];
        var filter = new KWeightingFilter(Rate);
        // Odd piece lengths exercise the one-step tail between blocks of eight.
        for (int start = 0, piece = 1001; start < x.Length; start += piece)
            filter.Process(x.AsSpan(start, Math.Min(piece, x.Length - start)), fast.AsSpan(start));
        var direct = new double[x.Length];
        KWeightingFilter.ProcessDirectForm(x, direct, Rate);
        double error = 0, power = 0, fastPower = 0;
        for (int i = 0; i < x.Length; i++)
        {
            error += (fast[i] - direct[i]) * (fast[i] - direct[i]);
            power += direct[i] * direct[i];
            fastPower += (double)fast[i] * fast[i];
        }
        double relativeRms = Math.Sqrt(error / power);
        output.WriteLine($"relative RMS difference {relativeRms:E2}; power ratio {10 * Math.Log10(fastPower / power):E2} dB");
        Assert.True(relativeRms < 1e-4, $"relative RMS difference {relativeRms}");
        Assert.True(Math.Abs(10 * Math.Log10(fastPower / power)) < 1e-3);
    }

    [Theory]
    [InlineData(-23.0)]
    [InlineData(-33.0)]
    public void A1kHzStereoSineReadsItsLevelInLufs(double levelDbfs)
    {
        // EBU Tech 3341 cases 1 and 2: 20 s of 1 kHz stereo sine at −23 / −33 dBFS → −23 / −33 LUFS ± 0.1.
        var mono = DecodedSignals.SteppedSine((levelDbfs, 20));
        var result = TrackDescriptorAnalyzer.Analyze(mono, Rate);
        double gainDb = 10 * Math.Log10(new KWeightingFilter(Rate).PowerGain(1000));
        double gain48k = 10 * Math.Log10(new KWeightingFilter(48000).PowerGain(1000));
        double predicted = levelDbfs + gainDb - 0.691;
        output.WriteLine($"K gain at 1 kHz: {gainDb:F4} dB at {Rate} Hz, {gain48k:F4} dB at 48 kHz; " +
                         $"expected {levelDbfs:F1}, predicted {predicted:F3}, measured {result.IntegratedLoudnessLufs:F3} LUFS " +
                         $"(error {result.IntegratedLoudnessLufs - levelDbfs:+0.000;-0.000} LU)");
        Assert.False(result.IsSilent);
        Assert.NotNull(result.IntegratedLoudnessLufs);
        Assert.Equal(levelDbfs, result.IntegratedLoudnessLufs.Value, 0.1);
        Assert.Equal(predicted, result.IntegratedLoudnessLufs.Value, 0.005);
        Assert.Equal(0, result.LoudnessRangeLu, 0.1);
    }

    [Theory]
    // EBU Tech 3342 cases 1–4: 1 kHz stereo sine, 20 s per step; expected LRA ± 1 LU.
    [InlineData(10.0, new[] { -20.0, -30.0 })]
    [InlineData(5.0, new[] { -20.0, -15.0 })]
    [InlineData(20.0, new[] { -40.0, -20.0 })]
    [InlineData(15.0, new[] { -50.0, -35.0, -20.0, -35.0, -50.0 })]
    public void ASteppedSineHasTheExpectedLoudnessRange(double expectedLu, double[] stepsDbfs)
    {
        var mono = DecodedSignals.SteppedSine([.. stepsDbfs.Select(l => (l, 20.0))]);
        var meter = new LoudnessMeter(Rate);
        meter.Push(mono);
        var result = meter.Result();
        output.WriteLine($"steps {string.Join("/", stepsDbfs)} dBFS: LRA {result.LoudnessRangeLu:F2} LU (expected {expectedLu}), integrated {result.IntegratedLufs:F2} LUFS");
        Assert.Equal(expectedLu, result.LoudnessRangeLu, 1.0);
    }

    [Fact]
    public void TheFirstTechCase3342ReadsTheSameThroughTheAnalyzer()
    {
        var mono = DecodedSignals.SteppedSine((-20, 20), (-30, 20));
        var result = TrackDescriptorAnalyzer.Analyze(mono, Rate);
        Assert.Equal(10, result.LoudnessRangeLu, 1.0);
    }

    [Fact]
    public void TheRelativeGateIgnoresAQuietPassage()
    {
        // 20 s at −23 then 20 s at −50: the ungated energy mean would read about −26 LUFS, but the
        // quiet half lies below the relative gate (−26 − 10 LU), so the integrated loudness is −23.
        var mono = DecodedSignals.SteppedSine((-23, 20), (-50, 20));
        var meter = new LoudnessMeter(Rate);
        meter.Push(mono);
        double? lufs = meter.Result().IntegratedLufs;
        output.WriteLine($"integrated {lufs:F3} LUFS");
        Assert.NotNull(lufs);
        Assert.Equal(-23, lufs.Value, 0.1);
    }

    [Fact]
    public void BelowTheAbsoluteGateNothingIsMeasuredAndTheTrackIsSilent()
    {
        var mono = DecodedSignals.SteppedSine((-80, 5));
        var meter = new LoudnessMeter(Rate);
        meter.Push(mono);
        Assert.Null(meter.Result().IntegratedLufs);
        var result = TrackDescriptorAnalyzer.Analyze(mono, Rate);
        Assert.True(result.IsSilent);
        Assert.Null(result.IntegratedLoudnessLufs);
        Assert.NotNull(result.RmsDbfs);    // not all zero: the RMS is still measured
    }

    [Fact]
    public void DynamicComplexityOfTwoLevelsIsTheirLoudWeightedDeviation()
    {
        // Equal time at −20 and −30 LUFS: weights 0.9^20 : 0.9^30 put the level at
        // (−20 + 0.9^10·(−30)) / (1 + 0.9^10) ≈ −22.6, and the mean absolute deviation is 5.0 LU.
        var steady = new LoudnessMeter(Rate);
        steady.Push(DecodedSignals.SteppedSine((-20, 20)));
        Assert.Equal(0, steady.Result().DynamicComplexityLu, 0.01);

        var stepped = new LoudnessMeter(Rate);
        stepped.Push(DecodedSignals.SteppedSine((-20, 20), (-30, 20)));
        double w = Math.Pow(0.9, 10);
        double level = (-20 + w * -30) / (1 + w);
        double expected = (Math.Abs(-20 - level) + Math.Abs(-30 - level)) / 2;
        double measured = stepped.Result().DynamicComplexityLu;
        output.WriteLine($"dynamic complexity {measured:F3} LU, expected {expected:F3}");
        Assert.Equal(expected, measured, 0.2);
    }
}
