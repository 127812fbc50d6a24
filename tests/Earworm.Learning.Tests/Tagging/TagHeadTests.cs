using Earworm.Learning.Tagging;
using Earworm.Testing;

namespace Earworm.Learning.Tests.Tagging;

/// <summary>ROC-AUC and thresholds on cases worked by hand; a tag head's arithmetic, thresholds and file.</summary>
public class TagHeadTests
{
    [Fact]
    public void RocAucIsTheShareOfPositiveNegativePairsOrderedRight()
    {
        Assert.Equal(1.0, TagMetrics.RocAuc([0.9f, 0.8f, 0.2f, 0.1f], [true, true, false, false]));
        Assert.Equal(0.0, TagMetrics.RocAuc([0.1f, 0.2f, 0.8f, 0.9f], [true, true, false, false]));
        // pairs (p, n): (0.9, 0.5) (0.9, 0.1) (0.3, 0.5)✗ (0.3, 0.1): 3 of 4
        Assert.Equal(0.75, TagMetrics.RocAuc([0.9f, 0.3f, 0.5f, 0.1f], [true, true, false, false]), 12);
        // a tie counts half: (0.5, 0.5) ½, (0.5, 0.1) 1 → 0.75
        Assert.Equal(0.75, TagMetrics.RocAuc([0.5f, 0.5f, 0.1f], [true, false, false]), 12);
        Assert.True(double.IsNaN(TagMetrics.RocAuc([0.5f, 0.4f], [false, false])));
    }

    [Fact]
    public void TheThresholdIsWhereF1IsBest()
    {
        // taking 0.9 and 0.7: tp 2 of 2 positives, 2 taken → F1 1; the threshold lies between 0.7 and the 0.4 below it
        var (threshold, f1) = TagMetrics.BestF1Threshold([0.9f, 0.7f, 0.4f, 0.2f], [true, true, false, false]);
        Assert.Equal(1.0, f1, 12);
        Assert.Equal(0.55f, threshold, 1e-6f);
        // a negative above the positives: taking all three from 0.3 gives F1 = 2·2/(3 + 2) = 0.8, better than 0.9 alone
        // (2·0/(1+2) = 0) or 0.9 and 0.6 (2·1/(2+2) = 0.5)
        var (t2, f2) = TagMetrics.BestF1Threshold([0.9f, 0.6f, 0.3f, 0.1f], [false, true, true, false]);
        Assert.Equal(0.8, f2, 12);
        Assert.Equal(0.2f, t2, 1e-6f);
        Assert.Equal(0.5f, TagMetrics.BestF1Threshold([0.9f], [false]).Threshold);     // no positive: the fallback
    }

    [Fact]
    public void ALinearHeadGivesTheTagsAboveTheirThresholds()
    {
        // Two inputs standardised by mean (1, 0) and scale (1, 2); tag a = σ(x0'), tag b = σ(−x1' + 1).
        var head = new TagHead("pretrained-test", ["a", "b"], [0.6f, 0.5f], 2, 0,
            mean: [1, 0], scale: [1, 2], w1: [1, 0, 0, -1], b1: [0, 1], w2: [], b2: []);
        var p = head.Probabilities([3, 0]);                   // x' = (2, 0): σ(2) = 0.881, σ(1) = 0.731
        Assert.Equal(1 / (1 + Math.Exp(-2)), p[0], 5);
        Assert.Equal(1 / (1 + Math.Exp(-1)), p[1], 5);
        Assert.Equal(["a", "b"], head.Predict([3, 0]).Select(t => t.Tag));
        Assert.Equal(["b"], head.Predict([1, 0]).Select(t => t.Tag));      // σ(0) = 0.5 < 0.6 for a; b at σ(1)
        Assert.Empty(head.Predict([1, 1]));                                  // b: σ(−2 + 1) = 0.27
        Assert.Throws<ArgumentException>(() => head.Probabilities([1, 2, 3]));
    }

    [Fact]
    public void AHeadReadsBackAsWritten()
    {
        using var dir = new TempDirectory();
        var head = new TagHead("pretrained-x", ["piano", "drums"], [0.3f, 0.7f], 3, 2,
            [0.1f, 0.2f, 0.3f], [1, 2, 3], [1, 2, 3, 4, 5, 6], [0.5f, -0.5f], [1, -1, 2, -2], [0, 0.25f],
            new TagHeadReport(10, 4, new Dictionary<string, int> { ["piano"] = 5, ["drums"] = 6 },
                new Dictionary<string, double?> { ["piano"] = 0.9, ["drums"] = null }, null, null, 7, 1.5));
        head.Save(dir.Path);
        var back = TagHead.Load(dir.Path);
        Assert.Equal(head.Tags, back.Tags);
        Assert.Equal(head.Thresholds, back.Thresholds);
        Assert.Equal("pretrained-x", back.EncoderVersion);
        Assert.Equal(head.Probabilities([1, 0, -1]), back.Probabilities([1, 0, -1]));
        Assert.Null(back.Report!.ValidationAuc["drums"]);
        File.WriteAllText(Path.Combine(dir.Path, TagHead.FileName), "{\"tags\": 3}");
        Assert.Throws<InvalidDataException>(() => TagHead.Load(dir.Path));
    }
}
