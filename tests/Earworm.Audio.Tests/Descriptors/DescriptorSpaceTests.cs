using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;

namespace Earworm.Audio.Tests.Descriptors;

/// <summary>The descriptor vector space: slots, standardisation, weights.</summary>
public class DescriptorSpaceTests
{
    [Fact]
    public void TheVectorHasOneValuePerNamedSlotAndOneWeightEach()
    {
        var v = DescriptorSpace.Vector(Sample(0));
        Assert.Equal(DescriptorSpace.FeatureNames.Count, v.Length);
        Assert.Equal(DescriptorSpace.Dimension, v.Length);
        Assert.Equal(v.Length, DescriptorSpace.Weights.Count);
        Assert.Equal(DescriptorSpace.FeatureNames.Count, DescriptorSpace.FeatureNames.Distinct().Count());
        Assert.All(DescriptorSpace.Weights, w => Assert.True(w > 0));
        Assert.Equal(Math.Log2(96), v[DescriptorSpace.FeatureNames.ToList().IndexOf("tempo_log2_bpm")], 1e-12);
    }

    [Fact]
    public void StandardisationGivesZeroMeanAndUnitDeviationPerSlot()
    {
        var vectors = Enumerable.Range(0, 12).Select(i => DescriptorSpace.Vector(Sample(i))).ToList();
        var scaler = DescriptorSpace.Standardise(vectors);
        var z = vectors.Select(v => scaler.Standardised(v)).ToList();
        for (int slot = 0; slot < DescriptorSpace.Dimension; slot++)
        {
            double mean = z.Average(v => v[slot]);
            double std = Math.Sqrt(z.Average(v => (v[slot] - mean) * (v[slot] - mean)));
            Assert.Equal(0, mean, 1e-9);
            Assert.Equal(1, std, 1e-9);
        }
        var weighted = scaler.Weighted(vectors[3]);
        for (int slot = 0; slot < DescriptorSpace.Dimension; slot++)
            Assert.Equal(z[3][slot] * DescriptorSpace.Weights[slot], weighted[slot], 1e-12);
    }

    [Fact]
    public void AConstantSlotStandardisesToZeroNotNaN()
    {
        var vectors = Enumerable.Range(0, 4).Select(i => DescriptorSpace.Vector(Sample(i) with { LoudnessRangeLu = 7 })).ToList();
        var scaler = DescriptorSpace.Standardise(vectors);
        int slot = DescriptorSpace.FeatureNames.ToList().IndexOf("loudness_range_lu");
        Assert.Equal(0, scaler.StandardDeviations[slot]);
        Assert.All(vectors, v => Assert.Equal(0, scaler.Standardised(v)[slot]));
    }

    [Fact]
    public void RelativeKeysShareAPointOnTheCircleOfFifthsAndFifthsAreNeighbours()
    {
        var names = DescriptorSpace.FeatureNames.ToList();
        int x = names.IndexOf("key_fifths_x"), y = names.IndexOf("key_fifths_y"), mode = names.IndexOf("mode_major");
        var cMajor = DescriptorSpace.Vector(Sample(0) with { KeyTonic = 0, KeyMode = Mode.Major });
        var aMinor = DescriptorSpace.Vector(Sample(0) with { KeyTonic = 9, KeyMode = Mode.Minor });
        var gMajor = DescriptorSpace.Vector(Sample(0) with { KeyTonic = 7, KeyMode = Mode.Major });
        var fSharpMajor = DescriptorSpace.Vector(Sample(0) with { KeyTonic = 6, KeyMode = Mode.Major });
        Assert.Equal(cMajor[x], aMinor[x], 1e-12);
        Assert.Equal(cMajor[y], aMinor[y], 1e-12);
        Assert.Equal(1, cMajor[mode]);
        Assert.Equal(-1, aMinor[mode]);
        double Distance(double[] a, double[] b) => Math.Sqrt((a[x] - b[x]) * (a[x] - b[x]) + (a[y] - b[y]) * (a[y] - b[y]));
        Assert.Equal(2 * Math.Sin(Math.PI / 12), Distance(cMajor, gMajor), 1e-12);   // one step round the circle
        Assert.Equal(2, Distance(cMajor, fSharpMajor), 1e-12);                       // the tritone: opposite
    }

    [Fact]
    public void BadInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => DescriptorSpace.Standardise([]));
        Assert.Throws<ArgumentException>(() => DescriptorSpace.Standardise([new double[3]]));
        Assert.Throws<ArgumentException>(() => DescriptorSpace.Vector(Sample(0) with { MfccMeans = new double[5] }));
        var scaler = DescriptorSpace.Standardise([DescriptorSpace.Vector(Sample(0))]);
        Assert.Throws<ArgumentException>(() => scaler.Standardised(new double[2]));
    }

    // Varied, plausible descriptors without audio.
    private static TrackDescriptors Sample(int i) => new()
    {
        DurationSeconds = 180 + i,
        SampleRateHz = 22050,
        IsSilent = false,
        TempoBpm = 96 + 7 * i,
        TempoConfidence = 0.5,
        KeyTonic = (5 * i) % 12,
        KeyMode = i % 3 == 0 ? Mode.Minor : Mode.Major,
        KeyConfidence = 0.7,
        IntegratedLoudnessLufs = -8 - 1.3 * i,
        LoudnessRangeLu = 3 + (i % 4),
        RmsDbfs = -12 - i,
        Energy = 0.9 - 0.05 * i,
        Danceability = 0.2 + 0.03 * (i % 5),
        SpectralCentroidHz = 900 + 150 * i,
        SpectralFlatness = 0.05 + 0.01 * (i % 3),
        ZeroCrossingsPerSecond = 1500 + 20 * i,
        OnsetsPerSecond = 1 + 0.4 * (i % 6),
        DynamicComplexityLu = 2 + 0.2 * i,
        MfccMeans = [.. Enumerable.Range(0, 20).Select(c => Math.Sin(i + c) * (20 - c))],
        MfccStandardDeviations = [.. Enumerable.Range(0, 20).Select(c => 1.0 + c)],
    };
}
