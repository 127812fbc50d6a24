using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Synthesis;

public class TestSignalsTests(ITestOutputHelper output)
{
    private const int Rate = 22050;

    public static TheoryData<int, Mode> AllKeys()
    {
        var data = new TheoryData<int, Mode>();
        foreach (var mode in Enum.GetValues<Mode>())
            for (int tonic = 0; tonic < 12; tonic++) data.Add(tonic, mode);
        return data;
    }

    [Theory]
    [InlineData(1000, -6.0, 1)]
    [InlineData(440, -20.0, 2)]
    [InlineData(60, 0.0, 1)]
    public void TheSineHitsItsLevelInDbfs(double hz, double levelDbfs, int channels)
    {
        var x = TestSignals.Sine(hz, levelDbfs, 2.0, Rate, channels);
        Assert.Equal(2 * Rate * channels, x.Length);
        Assert.Equal(levelDbfs, 20 * Math.Log10(AudioMeasures.Peak(x)), 0.01);
        Assert.Equal(levelDbfs - 3.0103, 20 * Math.Log10(AudioMeasures.Rms(x)), 0.01);
        var mono = channels == 2 ? AudioMeasures.Left(x) : x;
        Assert.Equal(hz, AudioMeasures.PeakFrequencyHz(mono, Rate, 32768), 1.0);
        if (channels == 2) Assert.Equal(x[200], x[201]);
    }

    [Fact]
    public void NoiseIsSeededWithinItsPeakAndIndependentPerChannel()
    {
        var a = TestSignals.WhiteNoise(1.0, Rate, seed: 4, peakDbfs: -6, channels: 2);
        Assert.Equal(a, TestSignals.WhiteNoise(1.0, Rate, seed: 4, peakDbfs: -6, channels: 2));
        Assert.NotEqual(a, TestSignals.WhiteNoise(1.0, Rate, seed: 5, peakDbfs: -6, channels: 2));
        Assert.True(AudioMeasures.Peak(a) <= TestSignals.DbToGain(-6) + 1e-6);
        Assert.Equal(-6 - 4.77, 20 * Math.Log10(AudioMeasures.Rms(a)), 0.1);   // uniform: RMS = peak/√3
        Assert.NotEqual(a[0], a[1]);
    }

    [Fact]
    public void SilenceIsZerosOfTheRightLength()
    {
        var x = TestSignals.Silence(1.5, 8000, 2);
        Assert.Equal(24000, x.Length);
        Assert.All(x, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(60.0, 0.0)]
    [InlineData(120.0, 0.25)]
    [InlineData(173.0, 0.1)]
    public void ClicksFallOnTheBeatsAndNowhereElse(double bpm, double first)
    {
        var x = TestSignals.ClickTrack(bpm, 5.0, Rate, firstClickSeconds: first);
        Assert.Equal(5 * Rate, x.Length);
        var expected = Enumerable.Range(0, 100).Select(k => first + k * 60 / bpm).Where(t => t < 5).ToArray();
        // Every click starts within a sample of its beat, and between clicks there is silence.
        var starts = new List<double>();
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] != 0 && (i == 0 || x[i - 1] == 0) && (starts.Count == 0 || i / (double)Rate - starts[^1] > 0.05))
                starts.Add(i / (double)Rate);
        }
        Assert.Equal(expected.Length, starts.Count);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], starts[k], 1.5 / Rate);
        Assert.InRange(AudioMeasures.Peak(x), 0.8f, 0.9f);
    }

    [Fact]
    public void TheDrumPatternsOnsetsLineUpWithItsBeats()
    {
        const int hop = 128;
        const double bpm = 100, first = 0.2;
        var x = TestSignals.DrumPattern(bpm, 8.0, Rate, channels: 1, seed: 2, firstBeatSeconds: first);
        Assert.Equal(8 * Rate, x.Length);
        Assert.All(x, v => Assert.InRange(v, -1f, 1f));
        var beats = Enumerable.Range(0, 20).Select(k => first + k * 60 / bpm).Where(t => t < 7.9).ToList();
        var onset = AudioMeasures.OnsetEnvelope(x, hop);
        Assert.InRange(AudioMeasures.BestBeatPhaseSeconds(onset, hop, Rate, beats, 60 / bpm), -0.012, 0.012);
        Assert.Equal(x, TestSignals.DrumPattern(bpm, 8.0, Rate, channels: 1, seed: 2, firstBeatSeconds: first));
    }

    [Fact]
    public void ArgumentsOutOfRangeAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSignals.Sine(30000, -6, 1, Rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSignals.Sine(440, 3, 1, Rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSignals.Silence(1, Rate, channels: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSignals.ChordProgression(12, Mode.Major, Timbre.Piano, Rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSignals.ClickTrack(0, 1, Rate));
    }

    [Fact]
    public void TheCadenceLastsFiveChordSlotsPerRepeat()
    {
        var x = TestSignals.ChordProgression(0, Mode.Major, Timbre.Organ, 8000, channels: 2, secondsPerChord: 0.5, repeats: 2);
        Assert.Equal(2 * 2 * 5 * 0.5 * 8000, x.Length);         // channels × repeats × slots × seconds × rate
        Assert.Equal(-1, 20 * Math.Log10(AudioMeasures.Peak(x)), 0.01);
    }

    [Theory]
    [MemberData(nameof(AllKeys))]
    public void TheCadencesChromaHasTheTonicTriadStrongest(int tonic, Mode mode)
    {
        foreach (var timbre in new[] { Timbre.Piano, Timbre.Strings, Timbre.Organ, Timbre.ChipSquare })
        {
            var x = TestSignals.ChordProgression(tonic, mode, timbre, Rate, secondsPerChord: 1.0);
            var chroma = AudioMeasures.Chroma(x, Rate);
            var top3 = Enumerable.Range(0, 12).OrderByDescending(pc => chroma[pc]).Take(3).Order().ToArray();
            var triad = MusicTheory.TriadPitchClasses(tonic, mode, Chord.Tonic).Order().ToArray();
            output.WriteLine($"{MusicTheory.KeyName(tonic, mode)} {timbre}: " + string.Join(" ", Enumerable.Range(0, 12).Select(i => $"{MusicTheory.PitchClassName(i + tonic)}:{chroma[(i + tonic) % 12]:F2}")));
            Assert.Equal(triad, top3);
            var (estTonic, estMode, _) = AudioMeasures.EstimateKey(chroma);
            Assert.Equal(MusicTheory.KeyName(tonic, mode), MusicTheory.KeyName(estTonic, estMode));
        }
    }
}
