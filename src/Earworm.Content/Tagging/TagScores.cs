using Earworm.Learning.Tagging;
using static TorchSharp.torch;

namespace Earworm.Content.Tagging;

/// <summary>
/// What both tag trainers (<see cref="TagHeadTrainer"/>, <see cref="TagNetworkTrainer"/>) do with their tracks'
/// probabilities (row-major, track × tag): the label matrix they learn against, the mean validation ROC-AUC that picks
/// the epoch, and the report's figures — each tag's best-F1 threshold and ROC-AUC on the validation tracks, its ROC-AUC
/// and positives on the test tracks.
/// </summary>
public static class TagScores
{
    /// <summary>The labels as a track × tag matrix of 0 and 1.</summary>
    public static Tensor Labels(IReadOnlyList<bool[]> labels, int tags)
    {
        var data = new float[labels.Count * tags];
        for (int i = 0; i < labels.Count; i++)
            for (int k = 0; k < tags; k++) data[i * tags + k] = labels[i][k] ? 1 : 0;
        return tensor(data, [labels.Count, tags]);
    }

    /// <summary>The mean ROC-AUC over the tags with positives and negatives among the tracks (0 when none has).</summary>
    public static double MeanAuc(float[] probabilities, IReadOnlyList<bool[]> labels, int tags)
    {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < tags; k++)
        {
            var (s, l) = Column(probabilities, labels, k);
            double auc = TagMetrics.RocAuc(s, l);
            if (double.IsFinite(auc)) { sum += auc; n++; }
        }
        return n == 0 ? 0 : sum / n;
    }

    /// <summary>Each tag's threshold (best F1) and ROC-AUC on the validation tracks; on the test tracks, when given,
    /// each tag's ROC-AUC and positives. A ROC-AUC that cannot be measured (a tag without positives or negatives) is null.</summary>
    public static (float[] Thresholds, Dictionary<string, double?> ValidationAuc, Dictionary<string, double?>? TestAuc, Dictionary<string, int>? TestPositives)
        Measure(IReadOnlyList<string> tags, float[] validation, IReadOnlyList<bool[]> validationLabels, float[]? test, IReadOnlyList<bool[]>? testLabels)
    {
        int t = tags.Count;
        var thresholds = new float[t];
        var validationAuc = new Dictionary<string, double?>();
        for (int k = 0; k < t; k++)
        {
            var (s, labels) = Column(validation, validationLabels, k);
            thresholds[k] = TagMetrics.BestF1Threshold(s, labels).Threshold;
            validationAuc[tags[k]] = Finite(TagMetrics.RocAuc(s, labels));
        }
        if (test is null || testLabels is null) return (thresholds, validationAuc, null, null);
        var testAuc = new Dictionary<string, double?>();
        var testPositives = new Dictionary<string, int>();
        for (int k = 0; k < t; k++)
        {
            var (s, labels) = Column(test, testLabels, k);
            testAuc[tags[k]] = Finite(TagMetrics.RocAuc(s, labels));
            testPositives[tags[k]] = labels.Count(b => b);
        }
        return (thresholds, validationAuc, testAuc, testPositives);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;

    private static (float[] Scores, bool[] Labels) Column(float[] probabilities, IReadOnlyList<bool[]> labels, int k)
    {
        int n = labels.Count, tags = probabilities.Length / Math.Max(1, n);
        var s = new float[n];
        var l = new bool[n];
        for (int i = 0; i < n; i++) { s[i] = probabilities[i * tags + k]; l[i] = labels[i][k]; }
        return (s, l);
    }
}
