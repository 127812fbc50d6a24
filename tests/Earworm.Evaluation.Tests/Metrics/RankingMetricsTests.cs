using Earworm.Evaluation.Metrics;

namespace Earworm.Evaluation.Tests.Metrics;

public class RankingMetricsTests
{
    private const double Tolerance = 1e-12;

    // The running example: list [3, 1, 7, 5, 9], held out {1, 5, 8}. Hits at positions 2 (item 1) and 4 (item 5).
    private static readonly int[] Ranked = [3, 1, 7, 5, 9];
    private static readonly int[] Relevant = [1, 5, 8];

    [Fact]
    public void PrecisionRecallAndF1AtFive()
    {
        // P@5 = 2/5 = 0.4; R@5 = 2/3; F1 = 2·0.4·(2/3) / (0.4 + 2/3) = (8/15) / (16/15) = 0.5
        Assert.Equal(0.4, RankingMetrics.Precision(Ranked, Relevant, 5), Tolerance);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(Ranked, Relevant, 5), Tolerance);
        Assert.Equal(0.5, RankingMetrics.F1(Ranked, Relevant, 5), Tolerance);
    }

    [Fact]
    public void NdcgAtFiveAndThree()
    {
        // DCG@5 = 1/log2(3) + 1/log2(5) = 0.6309298 + 0.4306766 = 1.0616064
        // IDCG over min(3, 5) = 3 hits: 1 + 1/log2(3) + 1/log2(4) = 1 + 0.6309298 + 0.5 = 2.1309298
        // NDCG@5 = 1.0616064 / 2.1309298 = 0.4981893
        double dcg5 = 1 / Math.Log2(3) + 1 / Math.Log2(5), ideal = 1 + 1 / Math.Log2(3) + 0.5;
        Assert.Equal(dcg5 / ideal, RankingMetrics.Ndcg(Ranked, Relevant, 5), Tolerance);
        Assert.Equal(0.4981893, RankingMetrics.Ndcg(Ranked, Relevant, 5), 1e-7);
        // NDCG@3: only the hit at position 2 counts; the ideal is still 3 hits: 0.6309298 / 2.1309298 = 0.2960819
        Assert.Equal(0.2960819, RankingMetrics.Ndcg(Ranked, Relevant, 3), 1e-7);
    }

    [Fact]
    public void AveragePrecisionIsNormalisedByMinOfRelevantAndK()
    {
        // AP@5 = (P@2 + P@4) / min(3, 5) = (1/2 + 2/4) / 3 = 1/3
        Assert.Equal(1.0 / 3, RankingMetrics.AveragePrecision(Ranked, Relevant, 5), Tolerance);
        // AP@3 = P@2 / min(3, 3) = 0.5 / 3
        Assert.Equal(0.5 / 3, RankingMetrics.AveragePrecision(Ranked, Relevant, 3), Tolerance);
        // four held out, k = 2, both places hits: (1/1 + 2/2) / min(4, 2) = 1, not 2/4
        Assert.Equal(1.0, RankingMetrics.AveragePrecision([1, 2], [1, 2, 3, 4], 2), Tolerance);
    }

    [Fact]
    public void ReciprocalRankAndHitRate()
    {
        // first hit at position 2
        Assert.Equal(0.5, RankingMetrics.ReciprocalRank(Ranked, Relevant, 5), Tolerance);
        Assert.Equal(1.0, RankingMetrics.HitRate(Ranked, Relevant, 5));
        // k = 1: item 3 only, a miss everywhere
        Assert.Equal(0.0, RankingMetrics.ReciprocalRank(Ranked, Relevant, 1));
        Assert.Equal(0.0, RankingMetrics.HitRate(Ranked, Relevant, 1));
        Assert.Equal(0.0, RankingMetrics.Precision(Ranked, Relevant, 1));
        Assert.Equal(0.0, RankingMetrics.F1(Ranked, Relevant, 1));
        Assert.Equal(0.0, RankingMetrics.Ndcg(Ranked, Relevant, 1));
    }

    [Fact]
    public void AShortListCountsItsMissingPlacesAsMisses()
    {
        // [2] against {2}, k = 10: P = 1/10 (divided by k), R = 1, NDCG = 1, AP = 1/min(1, 10) = 1, RR = 1
        Assert.Equal(0.1, RankingMetrics.Precision([2], [2], 10), Tolerance);
        Assert.Equal(1.0, RankingMetrics.Recall([2], [2], 10), Tolerance);
        Assert.Equal(1.0, RankingMetrics.Ndcg([2], [2], 10), Tolerance);
        Assert.Equal(1.0, RankingMetrics.AveragePrecision([2], [2], 10), Tolerance);
        Assert.Equal(1.0, RankingMetrics.ReciprocalRank([2], [2], 10), Tolerance);
        Assert.Equal(0.0, RankingMetrics.Recall([], [2], 10));
    }

    [Fact]
    public void NdcgIdealIsCutAtK()
    {
        // four held out, k = 2, both places hits: DCG = 1 + 1/log2(3) = IDCG over min(4, 2) = 2 places → 1
        Assert.Equal(1.0, RankingMetrics.Ndcg([1, 2], [1, 2, 3, 4], 2), Tolerance);
        // [9, 1] against {1, 2}, k = 2: DCG = 1/log2(3) = 0.6309298, IDCG = 1.6309298 → 0.3868528
        Assert.Equal(0.3868528, RankingMetrics.Ndcg([9, 1], [1, 2], 2), 1e-7);
    }

    [Fact]
    public void AucOverTheFullRanking()
    {
        // candidates 0..5, held out {2, 4}, 4 others; ranking [2, 0, 4, 1, 3, 5]:
        // item 2 beats all 4 others; item 4 beats 1, 3, 5 but not 0 → 7 of 8 pairs right
        Assert.Equal(7.0 / 8, RankingMetrics.Auc([2, 0, 4, 1, 3, 5], [2, 4], 6), Tolerance);
        Assert.Equal(1.0, RankingMetrics.Auc([2, 4, 0, 1, 3, 5], [2, 4], 6), Tolerance);
        Assert.Equal(0.0, RankingMetrics.Auc([0, 1, 3, 5, 2, 4], [2, 4], 6), Tolerance);
    }

    [Fact]
    public void AucTiesTheUnlistedCandidates()
    {
        // list [2, 0] of candidates 0..5, held out {2, 4}:
        // (2, ·): 2 is listed first, beats 0, 1, 3, 5 → 4; (4, 0): 0 listed, 4 not → 0;
        // (4, 1), (4, 3), (4, 5): all unlisted, tied → ½ each = 1.5; AUC = 5.5 / 8 = 0.6875
        Assert.Equal(0.6875, RankingMetrics.Auc([2, 0], [2, 4], 6), Tolerance);
        // nothing listed: every pair tied
        Assert.Equal(0.5, RankingMetrics.Auc([], [2, 4], 6), Tolerance);
    }

    [Fact]
    public void RejectsWhatTheConventionsRuleOut()
    {
        Assert.Throws<ArgumentException>(() => RankingMetrics.Precision([1], [], 5));
        Assert.Throws<ArgumentException>(() => RankingMetrics.Recall([1], [5, 1], 5));   // not sorted
        Assert.Throws<ArgumentException>(() => RankingMetrics.Recall([1], [1, 1], 5));   // duplicate
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Ndcg([1], [1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Auc([1], [1, 2], 2)); // no negatives
        Assert.Throws<ArgumentException>(() => RankingMetrics.Auc([0, 1, 2, 3], [1], 3));      // longer than the candidates
    }
}
