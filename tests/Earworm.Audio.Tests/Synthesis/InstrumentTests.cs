using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Synthesis;

public class InstrumentTests
{
    private const int Rate = 22050;

    [Theory]
    [InlineData(Timbre.Piano)]
    [InlineData(Timbre.Pluck)]
    [InlineData(Timbre.Organ)]
    [InlineData(Timbre.Pad)]
    [InlineData(Timbre.Strings)]
    [InlineData(Timbre.SawBass)]
    [InlineData(Timbre.SubBass)]
    [InlineData(Timbre.ChipSquare)]
    [InlineData(Timbre.ChipPulse)]
    [InlineData(Timbre.ChipTriangle)]
    [InlineData(Timbre.OverdrivenGuitar)]
    [InlineData(Timbre.Flute)]
    public void EveryHarmonicTimbreSoundsItsPitchAndEndsSilent(Timbre timbre)
    {
        // A3 = 220 Hz: the strongest partial is the fundamental or one of its harmonics.
        var x = Instruments.RenderNote(timbre, 57, 1.0, Rate, 1f, new Random(1));
        Assert.Equal(Instruments.EnvelopeOf(timbre).LengthSamples(1.0, Rate), x.Length);
        double peakHz = AudioMeasures.PeakFrequencyHz(x, Rate, 8192);
        double harmonic = peakHz / 220;
        Assert.True(Math.Abs(harmonic - Math.Round(harmonic)) < 0.05 && Math.Round(harmonic) >= 1, $"peak at {peakHz:F1} Hz");
        Assert.InRange(AudioMeasures.Peak(x), 0.1f, 1.6f);
        Assert.Equal(0f, x[^1], 1e-3f);
        Assert.All(x, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void TheBellRingsAndAChordSumsItsNotes()
    {
        var bell = Instruments.RenderNote(Timbre.Bell, 69, 0.5, Rate, 1f, new Random(1));
        Assert.Equal(440, AudioMeasures.PeakFrequencyHz(bell, Rate, 8192), 3.0);
        var chord = Instruments.Render(Timbre.Organ, [261.63, 329.63, 392.0], 0.5, Rate, 1f, new Random(1));
        var p = AudioMeasures.PowerSpectrum(chord, 8192);
        double Bin(double hz) => p[(int)Math.Round(hz * 8192 / Rate)];
        Assert.True(Bin(329.63) > 100 * Bin(300));
        Assert.True(Bin(392.0) > 100 * Bin(360));
    }

    [Fact]
    public void DrumsStartAtOnceAndSitInTheirBands()
    {
        var random = new Random(3);
        var kick = DrumVoices.Kick(Rate);
        var hat = DrumVoices.HiHat(Rate, random);
        var snare = DrumVoices.Snare(Rate, random);
        var clap = DrumVoices.Clap(Rate, random);
        foreach (var drum in new[] { kick, hat, snare, clap })
        {
            int loudest = Array.IndexOf(drum, drum.MaxBy(Math.Abs));
            Assert.InRange(loudest, 0, (int)(0.05 * Rate));                       // the hit is at the start (a clap's three hands take 33 ms)
            Assert.Equal(0f, drum[^1], 1e-6f);
        }
        Assert.True(AudioMeasures.SpectralCentroidHz(kick, Rate) < 400);
        Assert.True(AudioMeasures.SpectralCentroidHz(hat, Rate) > 5000);
        Assert.InRange(AudioMeasures.SpectralCentroidHz(snare, Rate), 1000, 6000);
    }

    [Fact]
    public void NoiseIsReproducibleFromItsSeed()
    {
        var a = new float[100];
        var b = new float[100];
        Noise.AddWhite(a, new Random(5));
        Noise.AddWhite(b, new Random(5));
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
    }
}
