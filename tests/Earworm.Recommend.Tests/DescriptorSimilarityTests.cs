using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;

namespace Earworm.Recommend.Tests;

public class DescriptorSimilarityTests
{
    [Theory]
    [InlineData("8A", "8A", true)]
    [InlineData("8A", "9A", true)]
    [InlineData("8A", "7A", true)]
    [InlineData("8A", "8B", true)]   // relative major
    [InlineData("12B", "1B", true)]  // the wheel wraps
    [InlineData("8A", "9B", false)]
    [InlineData("8A", "10A", false)]
    [InlineData("8A", "x", false)]
    public void CamelotCompatibility(string a, string b, bool expected) => Assert.Equal(expected, DescriptorSimilarity.KeysCompatible(a, b));

    private static TrackDescriptors D(double? tempo, int? tonic, Mode? mode, double energy, double centroid) => new()
    {
        DurationSeconds = 60, SampleRateHz = 22050, IsSilent = false, TempoBpm = tempo, KeyTonic = tonic, KeyMode = mode,
        Energy = energy, SpectralCentroidHz = centroid, Danceability = 0.5, IntegratedLoudnessLufs = -14,
        MfccMeans = Enumerable.Repeat(1.0, 20).ToArray(), MfccStandardDeviations = Enumerable.Repeat(1.0, 20).ToArray(),
    };

    [Fact]
    public void ReasonsNameWhatIsShared()
    {
        var a = D(124, 9, Mode.Minor, 0.8, 1500);
        var b = D(62, 0, Mode.Major, 0.85, 1550);
        var reasons = DescriptorSimilarity.Reasons(a, b);
        Assert.Contains(reasons, r => r.StartsWith("half/double tempo", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("compatible keys (8A → 8B)", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("similar energy", StringComparison.Ordinal));
        Assert.DoesNotContain(DescriptorSimilarity.Reasons(a, D(90, 2, Mode.Major, 0.2, 400)),
            r => r.Contains("tempo", StringComparison.Ordinal) || r.Contains("key", StringComparison.Ordinal));
    }

    [Fact]
    public void TheNearestTrackIsTheOneThatSoundsAlike()
    {
        var library = new Dictionary<long, TrackDescriptors>
        {
            [1] = D(124, 9, Mode.Minor, 0.8, 1500),
            [2] = D(125, 9, Mode.Minor, 0.82, 1480),
            [3] = D(70, 0, Mode.Major, 0.3, 600),
            [4] = D(174, 5, Mode.Minor, 0.9, 3000),
        };
        var s = new DescriptorSimilarity(library);
        var near = s.Similar(library[1], 3, id => id == 1);
        Assert.Equal(2, near[0].TrackId);
        Assert.Contains(near[0].Reasons, r => r.StartsWith("same tempo", StringComparison.Ordinal));
        Assert.True(near[0].Distance < near[1].Distance);
    }

    [Fact]
    public void AnEmptyLibraryIsAUsageError() => Assert.Throws<UsageException>(() => new DescriptorSimilarity(new Dictionary<long, TrackDescriptors>()));
}
