using Earworm.Audio.Descriptors;
using Earworm.Audio.Spectral;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>Flatness, centroid, zero crossings, energy and MFCCs on analytic signals, and the MFCCs
/// against the project's librosa-checked log-mel front end.</summary>
public class SpectralTests(ITestOutputHelper output)
{
    private const int Rate = DecodedSignals.Rate;

    [Fact]
    public void WhiteNoiseIsFlatAndAPureToneIsNot()
    {
        var noise = TrackDescriptorAnalyzer.Analyze(TestSignals.WhiteNoise(20, Rate, seed: 5), Rate);
        var tone = TrackDescriptorAnalyzer.Analyze(TestSignals.Sine(1000, -6, 20, Rate), Rate);
        // Rayleigh-distributed magnitudes: E[geometric]/E[arithmetic] = 2e^(−γ/2)/√π ≈ 0.845.
        double rayleigh = 2 * Math.Exp(-0.5772156649 / 2) / Math.Sqrt(Math.PI);
        output.WriteLine($"flatness: white noise {noise.SpectralFlatness:F4} (Rayleigh theory {rayleigh:F4}), 1 kHz tone {tone.SpectralFlatness:F5}");
        Assert.True(noise.SpectralFlatness > 0.8, $"noise flatness {noise.SpectralFlatness}");
        Assert.Equal(rayleigh, noise.SpectralFlatness, 0.02);
        Assert.True(tone.SpectralFlatness < 0.05, $"tone flatness {tone.SpectralFlatness}");
    }

    [Theory]
    [InlineData(440.0)]
    [InlineData(1000.0)]
    [InlineData(3000.0)]
    public void ASineHasItsFrequencyAsCentroidAndTwiceItAsZeroCrossingRate(double hz)
    {
        var result = TrackDescriptorAnalyzer.Analyze(TestSignals.Sine(hz, -6, 10, Rate), Rate);
        output.WriteLine($"{hz} Hz: centroid {result.SpectralCentroidHz:F1} Hz, {result.ZeroCrossingsPerSecond:F1} crossings/s");
        Assert.Equal(hz, result.SpectralCentroidHz, hz * 0.02);
        Assert.Equal(2 * hz, result.ZeroCrossingsPerSecond, 2 * hz * 0.001 + 0.5);
    }

    [Fact]
    public void NoiseIsBrighterThanABassTone()
    {
        var noise = TrackDescriptorAnalyzer.Analyze(TestSignals.WhiteNoise(10, Rate, seed: 1), Rate);
        var bass = TrackDescriptorAnalyzer.Analyze(TestSignals.Sine(80, -6, 10, Rate), Rate);
        // The centroid of white noise is the middle of the band, sr/4.
        Assert.Equal(Rate / 4.0, noise.SpectralCentroidHz, 150.0);
        Assert.True(bass.SpectralCentroidHz < 200);
    }

    [Fact]
    public void TheMfccsAreTheOrthonormalDctOfTheProjectsLogMel()
    {
        // Reference: LogMel (librosa-checked: Slaney mel, 128 bands, n_fft 2048, power, dB re 1 with
        // amin 1e−10) at the spectral hop, then scipy's dct(type=2, norm='ortho') written out here,
        // over the frames that lie inside the signal; silence at both ends keeps the edge frames
        // (where padding differs) out of both.
        var opts = TrackDescriptorOptions.Default;
        var (music, _) = DecodedSignals.Style(SynthStyle.Chiptune, seconds: 8);
        var x = new float[music.Length + 2 * opts.SpectralFftSize];
        music.CopyTo(x, opts.SpectralFftSize);

        var logMel = new LogMelComputer(new LogMelOptions
        {
            SampleRate = Rate, FftSize = opts.SpectralFftSize, HopLength = opts.SpectralHop, MelBands = opts.MelBands, FMaxHz = Rate / 2.0,
        });
        int frames = logMel.FrameCount(x.Length);
        var db = logMel.Compute(x);
        var sums = new double[opts.MfccCount];
        var squares = new double[opts.MfccCount];
        int used = 0;
        var window = Enumerable.Range(0, opts.SpectralFftSize).Select(i => 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / opts.SpectralFftSize)).ToArray();
        double windowEnergy = window.Sum(w => w * w);
        for (int t = 0; t < frames; t++)
        {
            int start = t * opts.SpectralHop - opts.SpectralFftSize / 2;
            if (start < 0 || start + opts.SpectralFftSize > x.Length) continue;
            double energy = 0;
            for (int i = 0; i < window.Length; i++) energy += x[start + i] * window[i] * x[start + i] * window[i];
            if (energy <= 1e-8 * windowEnergy) continue;   // the analyzer's −80 dBFS voicing threshold
            used++;
            for (int c = 0; c < opts.MfccCount; c++)
            {
                double sum = 0;
                for (int m = 0; m < opts.MelBands; m++)
                    sum += db[m * frames + t] * Math.Cos(Math.PI * c * (2 * m + 1) / (2.0 * opts.MelBands));
                double coefficient = sum * Math.Sqrt((c == 0 ? 1.0 : 2.0) / opts.MelBands);
                sums[c] += coefficient;
                squares[c] += coefficient * coefficient;
            }
        }

        var result = TrackDescriptorAnalyzer.Analyze(x, Rate);
        Assert.Equal(opts.MfccCount, result.MfccMeans.Count);
        Assert.Equal(opts.MfccCount, result.MfccStandardDeviations.Count);
        output.WriteLine($"{used} frames; c0 mean {result.MfccMeans[0]:F3} vs {sums[0] / used:F3}; c1 {result.MfccMeans[1]:F3} vs {sums[1] / used:F3}");
        for (int c = 0; c < opts.MfccCount; c++)
        {
            double mean = sums[c] / used;
            double std = Math.Sqrt(squares[c] / used - mean * mean);
            Assert.Equal(mean, result.MfccMeans[c], 1e-3);
            Assert.Equal(std, result.MfccStandardDeviations[c], 1e-3);
        }
    }

    [Fact]
    public void DanceabilityOfUncorrelatedNoiseIsOneOnEssentiasScale()
    {
        // Independent 10 ms deviations integrate to a random walk; with Essentia's summed (not mean)
        // residuals its fluctuation grows as τ, so every local exponent is about 1 and so is the raw value.
        var noise = new DanceabilityDfa(Rate);
        noise.Push(TestSignals.WhiteNoise(120, Rate, seed: 9));
        var result = noise.Result();
        output.WriteLine($"white noise: raw {result.Raw:F3}, danceability {result.Danceability:F3}");
        Assert.Equal(1.0, result.Raw, 0.15);
        Assert.Equal(result.Raw / 3, result.Danceability, 1e-12);
    }

    [Fact]
    public void AFourOnTheFloorTrackIsMoreDanceableThanAnAmbientPad()
    {
        var house = TrackDescriptorAnalyzer.Analyze(DecodedSignals.Style(SynthStyle.House).Mono, Rate);
        var ambient = TrackDescriptorAnalyzer.Analyze(DecodedSignals.Style(SynthStyle.AmbientPad).Mono, Rate);
        output.WriteLine($"danceability: house {house.Danceability:F3}, ambient {ambient.Danceability:F3}");
        Assert.True(house.Danceability > ambient.Danceability + 0.1);
    }

    [Fact]
    public void ThePrefixSumFitsMatchDirectLineFits()
    {
        var random = new Random(4);
        var y = new double[5000];
        double walk = 0;
        for (int i = 0; i < y.Length; i++) y[i] = walk += random.NextDouble() - 0.5 + (i > 2500 ? 0.3 : 0);
        var sums = new DanceabilityDfa.SegmentedSums(y);
        foreach (var (k, tau) in new[] { (0, 31), (100, 880), (2040, 31), (2000, 96), (4000, 880), (1500, 1000) })
        {
            double direct = DanceabilityDfa.ResidualSumOfSquaresDirect(y.AsSpan(k, tau));
            Assert.Equal(direct, sums.ResidualSumOfSquares(k, tau), Math.Max(1e-9, 1e-9 * direct));
        }
    }
}
