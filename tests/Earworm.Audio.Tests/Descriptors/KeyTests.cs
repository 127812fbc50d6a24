using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>Key and mode of the authentic cadence (I–IV–V–I, i–iv–V–i) in all 24 keys.</summary>
public class KeyTests(ITestOutputHelper output)
{
    private const int Rate = DecodedSignals.Rate;

    [Theory]
    [InlineData(Timbre.Piano)]
    [InlineData(Timbre.Organ)]
    [InlineData(Timbre.Strings)]
    [InlineData(Timbre.Pluck)]
    [InlineData(Timbre.ChipSquare)]
    public void TheCadenceInEveryKeyIsRecognisedAtLeast22TimesIn24(Timbre timbre)
    {
        int right = 0;
        var confusions = new List<string>();
        var confidences = new List<double>();
        foreach (var mode in new[] { Mode.Major, Mode.Minor })
        {
            for (int tonic = 0; tonic < 12; tonic++)
            {
                var x = TestSignals.ChordProgression(tonic, mode, timbre, Rate, secondsPerChord: 1.0, repeats: 2, seed: tonic + 1);
                var result = TrackDescriptorAnalyzer.Analyze(x, Rate);
                string truth = MusicTheory.KeyName(tonic, mode);
                if (result.KeyTonic == tonic && result.KeyMode == mode) right++;
                else confusions.Add($"{truth} → {result.KeyName ?? "none"}");
                confidences.Add(result.KeyConfidence);
            }
        }
        output.WriteLine($"{timbre}: {right}/24 right; mean confidence {confidences.Average():F2}; confusions: {(confusions.Count == 0 ? "none" : string.Join(", ", confusions))}");
        Assert.True(right >= 22, $"{timbre}: only {right}/24 keys right ({string.Join(", ", confusions)})");
    }

    [Theory]
    [InlineData(0, Mode.Major, "8B")]
    [InlineData(9, Mode.Minor, "8A")]
    [InlineData(7, Mode.Major, "9B")]
    [InlineData(4, Mode.Minor, "9A")]
    [InlineData(2, Mode.Major, "10B")]
    [InlineData(11, Mode.Major, "1B")]
    [InlineData(8, Mode.Minor, "1A")]
    [InlineData(6, Mode.Major, "2B")]
    [InlineData(3, Mode.Minor, "2A")]
    [InlineData(1, Mode.Major, "3B")]
    [InlineData(5, Mode.Major, "7B")]
    [InlineData(0, Mode.Minor, "5A")]
    public void CamelotCodesFollowTheWheel(int tonic, Mode mode, string code)
    {
        Assert.Equal(code, KeyEstimator.CamelotCode(tonic, mode));
    }

    [Fact]
    public void RelativeKeysShareACamelotNumber()
    {
        for (int major = 0; major < 12; major++)
            Assert.Equal(KeyEstimator.CamelotNumber(major, Mode.Major), KeyEstimator.CamelotNumber((major + 9) % 12, Mode.Minor));
    }

    [Fact]
    public void TheDescriptorsCarryTheKeyNameAndCamelotCode()
    {
        var x = TestSignals.ChordProgression(9, Mode.Minor, Timbre.Piano, Rate, repeats: 2);
        var result = TrackDescriptorAnalyzer.Analyze(x, Rate);
        Assert.Equal("A minor", result.KeyName);
        Assert.Equal("8A", result.CamelotCode);
        Assert.InRange(result.KeyConfidence, 0.5, 1.0);
    }

    [Fact]
    public void AFlatChromaHasNoKey()
    {
        Assert.Null(KeyEstimator.Estimate(new double[12]));
        Assert.Null(KeyEstimator.Estimate(Enumerable.Repeat(0.5, 12).ToArray()));
        Assert.Throws<ArgumentException>(() => KeyEstimator.Estimate(new double[11]));
    }

    [Fact]
    public void TheKeyProfileItselfIsItsOwnKeyWithFullConfidence()
    {
        // The K–K C major profile as a chroma correlates perfectly with C major.
        double[] cMajor = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
        var key = KeyEstimator.Estimate(cMajor);
        Assert.NotNull(key);
        Assert.Equal((0, Mode.Major), (key.Tonic, key.Mode));
        Assert.Equal(1.0, key.Confidence, 1e-9);
        Assert.True(key.Margin > 0);
    }
}
