using Earworm.Audio.Spectral;

namespace Earworm.Audio.Tests.Spectral;

public class MelFilterbankTests
{
    [Theory]
    // Values from the librosa documentation of hz_to_mel / mel_to_hz (htk=False).
    [InlineData(60, 0.9)]
    [InlineData(110, 1.65)]
    [InlineData(220, 3.3)]
    [InlineData(440, 6.6)]
    [InlineData(200, 3)]
    [InlineData(1000, 15)]
    public void SlaneyScaleMatchesLibrosa(double hz, double mel)
    {
        Assert.Equal(mel, MelFilterbank.HzToMel(hz), 1e-12);
        Assert.Equal(hz, MelFilterbank.MelToHz(mel), 1e-9);
    }

    [Theory]
    [InlineData(1500.0)]
    [InlineData(6400.0)]
    [InlineData(11025.0)]
    public void AboveOneKilohertzTheScaleIsLogarithmic(double hz)
    {
        // 27 mels per factor 6.4 in frequency above 1 kHz (Slaney's Auditory Toolbox).
        Assert.Equal(15 + 27 * Math.Log(hz / 1000) / Math.Log(6.4), MelFilterbank.HzToMel(hz), 1e-9);
        Assert.Equal(hz, MelFilterbank.MelToHz(MelFilterbank.HzToMel(hz)), 1e-9);
    }

    [Fact]
    public void SparseProjectionEqualsTheDenseProduct()
    {
        var o = LogMelOptions.Default;
        var fb = new MelFilterbank(o);
        var dense = fb.ToDense();
        var rng = new Random(11);
        var power = new double[o.FrequencyBins];
        for (int k = 0; k < power.Length; k++) power[k] = rng.NextDouble() * 100;
        var mel = new double[o.MelBands];
        fb.Apply(power, mel);
        for (int m = 0; m < o.MelBands; m++)
        {
            double expected = 0;
            for (int k = 0; k < power.Length; k++) expected += dense[k * o.MelBands + m] * power[k];
            Assert.Equal(expected, mel[m], 1e-9 * expected);
            Assert.Equal(dense[(fb.FirstBin(m) + 1) * o.MelBands + m], fb.Weight(fb.FirstBin(m) + 1, m));
        }
        // Each bin lies in at most two overlapping triangles.
        Assert.InRange(fb.NonzeroCount, o.MelBands, 2 * o.FrequencyBins);
    }

    [Fact]
    public void FiltersAreTrianglesOfUnitAreaInHertz()
    {
        // Slaney normalisation: peak 2/(upper − lower) so the triangle's area over Hz is 1.
        // Checked by a fine Riemann sum over a dense bin grid (n_fft 65 536).
        var o = LogMelOptions.Default with { FftSize = 65536, MelBands = 40 };
        var fb = new MelFilterbank(o);
        double binHz = (double)o.SampleRate / o.FftSize;
        for (int m = 0; m < o.MelBands; m++)
        {
            var run = fb.BandWeights(m);
            double area = 0;
            foreach (var w in run) area += w * binHz;
            Assert.Equal(1.0, area, 1e-3);
            Assert.All(run.ToArray(), w => Assert.True(w >= 0));
        }
    }

    [Fact]
    public void BandCentresRiseEvenlyOnTheMelScale()
    {
        var o = LogMelOptions.Default;
        var fb = new MelFilterbank(o);
        double step = MelFilterbank.HzToMel(o.FMaxHz) / (o.MelBands + 1);
        double binHz = (double)o.SampleRate / o.FftSize;
        for (int m = 0; m < o.MelBands; m++)
        {
            var run = fb.BandWeights(m);
            int peakBin = fb.FirstBin(m) + run.IndexOf(run.ToArray().Max());
            double centreHz = MelFilterbank.MelToHz(step * (m + 1));
            Assert.True(Math.Abs(peakBin * binHz - centreHz) <= binHz, $"band {m}: peak at bin {peakBin}, centre {centreHz:F1} Hz");
        }
    }
}
