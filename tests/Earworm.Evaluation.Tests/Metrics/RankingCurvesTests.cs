using Earworm.Evaluation.Metrics;

namespace Earworm.Evaluation.Tests.Metrics;

public class RankingCurvesTests
{
    [Fact]
    public void EveryEntryEqualsTheSingleKMetric()
    {
        int[] ranked = [3, 1, 7, 5, 9, 8];
        int[] relevant = [1, 5, 8, 12];
        const int maxK = 8;
        var precision = new double[maxK];
        var recall = new double[maxK];
        var ndcg = new double[maxK];
        RankingCurves.Accumulate(ranked, relevant, precision, recall, ndcg);
        RankingCurves.Accumulate(ranked, relevant, precision, recall, ndcg);   // sums: twice the value
        for (int k = 1; k <= maxK; k++)
        {
            Assert.Equal(2 * RankingMetrics.Precision(ranked, relevant, k), precision[k - 1], 1e-12);
            Assert.Equal(2 * RankingMetrics.Recall(ranked, relevant, k), recall[k - 1], 1e-12);
            Assert.Equal(2 * RankingMetrics.Ndcg(ranked, relevant, k), ndcg[k - 1], 1e-12);
        }
    }

    [Fact]
    public void RejectsSpansOfDifferentLengths() =>
        Assert.Throws<ArgumentException>(() => RankingCurves.Accumulate([1], [1], new double[3], new double[2], new double[3]));
}
