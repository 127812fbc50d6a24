using Earworm.Audio.Spectral;

namespace Earworm.Audio.Tests;

public class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(1024)]
    public void MatchesTheDefinitionOfTheDft(int n)
    {
        var rng = new Random(7);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.NextDouble() * 2 - 1;
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        new RealFft(n).Forward(x, re, im);
        for (int k = 0; k <= n / 2; k++)
        {
            double er = 0, ei = 0;
            for (int t = 0; t < n; t++)
            {
                double a = -2 * Math.PI * k * t / n;
                er += x[t] * Math.Cos(a);
                ei += x[t] * Math.Sin(a);
            }
            Assert.Equal(er, re[k], 1e-9);
            Assert.Equal(ei, im[k], 1e-9);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    public void TheScalarPathGivesTheSameSpectrumAsTheVectorPath(int n)
    {
        var rng = new Random(n);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.NextDouble() * 2 - 1;
        var (vr, vi, sr, si) = (new double[n / 2 + 1], new double[n / 2 + 1], new double[n / 2 + 1], new double[n / 2 + 1]);
        new RealFft(n).Forward(x, vr, vi);
        new RealFft(n, useVectors: false).Forward(x, sr, si);
        for (int k = 0; k <= n / 2; k++)
        {
            Assert.Equal(vr[k], sr[k], 1e-12);
            Assert.Equal(vi[k], si[k], 1e-12);
        }
        // And the scalar path is right on its own.
        var pv = new double[n / 2 + 1];
        var ps = new double[n / 2 + 1];
        new RealFft(n).Power(x, pv, new double[n / 2 + 1], new double[n / 2 + 1]);
        new RealFft(n, useVectors: false).Power(x, ps, new double[n / 2 + 1], new double[n / 2 + 1]);
        for (int k = 0; k <= n / 2; k++) Assert.Equal(pv[k], ps[k], 1e-12);
        AssertMatchesDft(x, sr, si);
    }

    private static void AssertMatchesDft(double[] x, double[] re, double[] im)
    {
        int n = x.Length;
        for (int k = 0; k <= n / 2; k++)
        {
            double er = 0, ei = 0;
            for (int t = 0; t < n; t++)
            {
                double a = -2 * Math.PI * k * t / n;
                er += x[t] * Math.Cos(a);
                ei += x[t] * Math.Sin(a);
            }
            Assert.Equal(er, re[k], 1e-9);
            Assert.Equal(ei, im[k], 1e-9);
        }
    }

    [Fact]
    public void ASineOnABinPeaksThere()
    {
        const int n = 1024;
        var x = new double[n];
        for (int t = 0; t < n; t++) x[t] = Math.Sin(2 * Math.PI * 40 * t / n);
        var p = new double[n / 2 + 1];
        new RealFft(n).Power(x, p, new double[n / 2 + 1], new double[n / 2 + 1]);
        Assert.Equal(40, Array.IndexOf(p, p.Max()));
        Assert.Equal(n * n / 4.0, p[40], 1e-6);
    }

    [Fact]
    public void RejectsLengthsThatAreNotPowersOfTwo() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(1000));
}
