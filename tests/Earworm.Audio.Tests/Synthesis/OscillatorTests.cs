using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Synthesis;

public class OscillatorTests
{
    private const int Rate = 44100;

    [Theory]
    [InlineData(Waveform.Sine)]
    [InlineData(Waveform.Saw)]
    [InlineData(Waveform.Square)]
    [InlineData(Waveform.Triangle)]
    public void EveryWaveformPeaksAtItsFundamentalAndStaysNearUnitAmplitude(Waveform waveform)
    {
        var x = new float[16384];
        Oscillator.Add(waveform, 441, Rate, x);
        Assert.Equal(441, AudioMeasures.PeakFrequencyHz(x, Rate, 16384), 3.0);
        Assert.InRange(AudioMeasures.Peak(x), 0.9f, 1.15f);   // PolyBLEP overshoots a little at the jumps
    }

    [Fact]
    public void AddMixesIntoWhatIsThere()
    {
        var x = new float[100];
        Array.Fill(x, 0.5f);
        Oscillator.Add(Waveform.Sine, 1000, Rate, x, 0.25f);
        Assert.Equal(0.5f, x[0], 1e-6f);
        Assert.Equal(0.5 + 0.25 * Math.Sin(2 * Math.PI * 1000 * 10 / Rate), x[10], 1e-5);
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.25, -0.5)]
    public void APulsesMeanFollowsItsDutyCycle(double pulseWidth, double expectedMean)
    {
        var x = new float[Rate];
        Oscillator.Add(Waveform.Square, 100, Rate, x, 1f, 0, pulseWidth);
        Assert.Equal(expectedMean, x.Average(v => (double)v), 0.01);
    }

    [Theory]
    [InlineData(Waveform.Saw)]
    [InlineData(Waveform.Square)]
    [InlineData(Waveform.Triangle)]
    public void BandLimitingKeepsAHighNotesAliasesFarBelowTheNaiveWaveforms(Waveform waveform)
    {
        // 3 136 Hz (G7): harmonics above 22 050 Hz fold back between the true ones.
        const double f = 3136;
        const int n = 16384;
        var bandLimited = new float[n];
        Oscillator.Add(waveform, f, Rate, bandLimited);
        var naive = new float[n];
        for (int i = 0; i < n; i++)
        {
            double p = (f * i / Rate) % 1;
            naive[i] = waveform switch
            {
                Waveform.Saw => (float)(2 * p - 1),
                Waveform.Square => p < 0.5 ? 1f : -1f,
                _ => (float)(1 - 4 * Math.Abs(((p + 0.25) % 1) - 0.5)),
            };
        }
        double good = AliasToHarmonicDb(bandLimited, f, n), bad = AliasToHarmonicDb(naive, f, n);
        Assert.True(good < bad - 8, $"band-limited {good:F1} dB vs naive {bad:F1} dB");
        Assert.True(good < -25, $"aliases at {good:F1} dB");
    }

    [Fact]
    public void ADecayingSineFallsByItsTimeConstant()
    {
        var x = new float[Rate];
        Oscillator.AddSine(440, Rate, x, 1f, 0.25, decaySeconds: 0.1);   // starts at its peak (cosine phase)
        Assert.Equal(1.0, x[0], 1e-6);
        int oneTau = (int)(0.1 * Rate);
        // Peak of the cycle around one time constant.
        float local = AudioMeasures.Peak(x.AsSpan(oneTau - 50, 101));
        Assert.Equal(Math.Exp(-1), local, 0.01);
    }

    [Fact]
    public void FrequenciesAtOrAboveNyquistAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Oscillator.Add(Waveform.Saw, 30000, Rate, new float[10]));

    // Energy away from the harmonics of f (more than 40 Hz from any) relative to energy on them, dB.
    private static double AliasToHarmonicDb(float[] x, double f, int n)
    {
        var p = AudioMeasures.PowerSpectrum(x, n);
        double onHarmonics = 0, elsewhere = 0;
        for (int k = 1; k < p.Length; k++)
        {
            double hz = (double)k * Rate / n;
            double distance = Math.Abs(hz - f * Math.Round(hz / f));
            if (distance < 40) onHarmonics += p[k];
            else elsewhere += p[k];
        }
        return 10 * Math.Log10(elsewhere / onHarmonics);
    }
}
