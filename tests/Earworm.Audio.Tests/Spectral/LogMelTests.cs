using Earworm.Audio.Spectral;

namespace Earworm.Audio.Tests.Spectral;

/// <summary>Analytic cases and invariants of the log-mel front end.</summary>
public class LogMelTests
{
    private static readonly LogMelOptions Defaults = LogMelOptions.Default;

    [Fact]
    public void ASine440HzPeaksInTheBandCentredNearest440Hz()
    {
        const double freqHz = 440;
        var x = Sine(freqHz, 0.5, Defaults.SampleRate * 2);
        var computer = new LogMelComputer(Defaults);
        int frames = computer.FrameCount(x.Length);
        var db = computer.Compute(x);

        // Band m is centred on mel point m+1 of n_mels+2 points spaced evenly from fmin to fmax.
        double melMax = MelFilterbank.HzToMel(Defaults.FMaxHz);
        int expected = Enumerable.Range(0, Defaults.MelBands)
            .MinBy(m => Math.Abs(MelFilterbank.MelToHz(melMax * (m + 1) / (Defaults.MelBands + 1)) - freqHz));

        var meanDb = MeanOverFrames(db, frames);
        int peak = Array.IndexOf(meanDb, meanDb.Max());
        Assert.Equal(expected, peak);
        // Hann leakage falls fast: bands above 880 Hz are at least 40 dB below the peak.
        double melOctave = MelFilterbank.HzToMel(2 * freqHz);
        for (int m = 0; m < Defaults.MelBands; m++)
        {
            if (melMax * m / (Defaults.MelBands + 1) > melOctave)
                Assert.True(meanDb[m] < meanDb[peak] - 40, $"band {m}: {meanDb[m]:F1} dB vs peak {meanDb[peak]:F1} dB");
        }
    }

    [Fact]
    public void SilenceIsTheFloorEverywhere()
    {
        var db = LogMel.Compute(new float[5000], Defaults);
        Assert.Equal(Defaults.MelBands * (1 + 5000 / 512), db.Length);
        Assert.All(db, v => Assert.Equal(-100.0, v, 1e-4));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(511, 1)]
    [InlineData(512, 2)]
    [InlineData(513, 2)]
    [InlineData(220500, 431)]
    public void FrameCountIsOnePlusSamplesOverHop(int samples, int frames)
    {
        var computer = new LogMelComputer(Defaults);
        Assert.Equal(frames, computer.FrameCount(samples));
        Assert.Equal(Defaults.MelBands * frames, computer.Compute(new float[samples]).Length);
    }

    [Fact]
    public void OutputOfTheWrongLengthIsRejected()
    {
        var computer = new LogMelComputer(Defaults);
        Assert.Throws<ArgumentException>(() => computer.Compute(new float[1000], new float[128]));
    }

    [Fact]
    public void MatchesANaiveReflectPaddedDftMelAtTheEdges()
    {
        // Small sizes keep the O(n²) reference cheap; every frame touches the padding or the end.
        var o = Defaults with { FftSize = 64, HopLength = 16, MelBands = 12 };
        var x = Noise(150, seed: 3);
        var actual = LogMel.Compute(x, o);
        var expected = NaiveLogMel(x, o);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 1e-4);
    }

    [Fact]
    public void ShortSignalsAreZeroExtendedBeforeReflectPadding()
    {
        var x = Noise(100, seed: 5);
        var computer = new LogMelComputer(Defaults);
        var shortDb = computer.Compute(x);
        Assert.Equal(Defaults.MelBands, shortDb.Length); // one frame

        var extended = new float[Defaults.FftSize / 2 + 1];
        x.CopyTo(extended, 0);
        var extendedDb = computer.Compute(extended);
        int frames = computer.FrameCount(extended.Length);
        for (int m = 0; m < Defaults.MelBands; m++) Assert.Equal(extendedDb[m * frames], shortDb[m]);
    }

    [Fact]
    public void AComputerIsReusableAcrossSignals()
    {
        var computer = new LogMelComputer(Defaults);
        var a = Noise(4000, seed: 1);
        var first = computer.Compute(a);
        computer.Compute(Sine(1000, 0.9, 3000));
        Assert.Equal(first, computer.Compute(a));
    }

    [Fact]
    public void ScalarAndVectorCodeAgree()
    {
        // 13 bands leaves a scalar tail after whole vectors in the vector path.
        var o = Defaults with { MelBands = 13 };
        var x = Noise(6000, seed: 9);
        var vector = new LogMelComputer(o).Compute(x);
        var scalar = new LogMelComputer(o, useVectors: false).Compute(x);
        for (int i = 0; i < vector.Length; i++) Assert.Equal(scalar[i], vector[i], 1e-4);
    }

    [Fact]
    public void DefaultOptionsAreValidAndDescribeTheModelInput()
    {
        var o = LogMelOptions.Default;
        o.Validate();
        Assert.Equal((22050, 1024, 512, 128, 0.0, 11025.0, 1e-10), (o.SampleRate, o.FftSize, o.HopLength, o.MelBands, o.FMinHz, o.FMaxHz, o.AminPower));
        Assert.Equal(513, o.FrequencyBins);
    }

    public static TheoryData<LogMelOptions, string> InvalidOptions => new()
    {
        { Defaults with { FftSize = 1000 }, "power of two" },
        { Defaults with { FftSize = 8 }, "power of two" },
        { Defaults with { SampleRate = 0 }, "SampleRate" },
        { Defaults with { HopLength = 0 }, "HopLength" },
        { Defaults with { MelBands = 0 }, "MelBands" },
        { Defaults with { FMinHz = -1 }, "FMinHz" },
        { Defaults with { FMinHz = 5000, FMaxHz = 4000 }, "FMaxHz" },
        { Defaults with { FMaxHz = 12000 }, "Nyquist" },
        { Defaults with { SampleRate = 16000 }, "Nyquist" },
        { Defaults with { FMaxHz = double.NaN }, "FMaxHz" },
        { Defaults with { AminPower = 0 }, "AminPower" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsAreRejectedWithAClearMessage(LogMelOptions options, string mentions)
    {
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(mentions, e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LogMelComputer(options));
    }

    internal static float[] Sine(double freqHz, double amplitude, int count, int sampleRate = 22050)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * freqHz * i / sampleRate));
        return x;
    }

    internal static float[] Noise(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static double[] MeanOverFrames(float[] db, int frames)
    {
        var mean = new double[db.Length / frames];
        for (int m = 0; m < mean.Length; m++) mean[m] = db.AsSpan(m * frames, frames).ToArray().Average();
        return mean;
    }

    // Straight from the definitions: explicit numpy-'reflect' padded copy, periodic Hann,
    // O(n²) DFT, dense filterbank, 10·log10(max(S, amin)).
    private static float[] NaiveLogMel(float[] x, LogMelOptions o)
    {
        int n = o.FftSize, half = n / 2, frames = 1 + x.Length / o.HopLength;
        var padded = new double[x.Length + n];
        for (int i = 0; i < padded.Length; i++)
        {
            int p = i - half;
            p = p < 0 ? -p : p >= x.Length ? 2 * (x.Length - 1) - p : p;
            padded[i] = x[p];
        }
        var fb = new MelFilterbank(o).ToDense();
        var result = new float[o.MelBands * frames];
        for (int t = 0; t < frames; t++)
        {
            var power = new double[half + 1];
            for (int k = 0; k <= half; k++)
            {
                double re = 0, im = 0;
                for (int j = 0; j < n; j++)
                {
                    double v = padded[t * o.HopLength + j] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * j / n));
                    re += v * Math.Cos(2 * Math.PI * k * j / n);
                    im -= v * Math.Sin(2 * Math.PI * k * j / n);
                }
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < o.MelBands; m++)
            {
                double s = 0;
                for (int k = 0; k <= half; k++) s += fb[k * o.MelBands + m] * power[k];
                result[m * frames + t] = (float)(10 * Math.Log10(Math.Max(s, o.AminPower)));
            }
        }
        return result;
    }
}
