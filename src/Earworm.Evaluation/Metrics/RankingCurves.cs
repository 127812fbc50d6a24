namespace Earworm.Evaluation.Metrics;

/// <summary>
/// Precision, recall and NDCG at every k = 1..n of one list in a single pass, with exactly the conventions of
/// <see cref="RankingMetrics"/> (so entry k − 1 equals <c>RankingMetrics.Ndcg(ranked, relevant, k)</c>).
/// </summary>
public static class RankingCurves
{
    /// <summary>Adds this list's precision@k, recall@k and NDCG@k, for k = 1..n (n = the spans' common length),
    /// into entry k − 1 of the three spans (which sum over users).</summary>
    public static void Accumulate(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant,
        Span<double> precisionSum, Span<double> recallSum, Span<double> ndcgSum)
    {
        int n = precisionSum.Length;
        if (recallSum.Length != n || ndcgSum.Length != n)
            throw new ArgumentException("the three sums must have the same length (the largest k)");
        if (n == 0) return;
        RankingMetrics.Check(relevant, n);
        int hits = 0;
        double dcg = 0, ideal = 0;
        for (int i = 0; i < n; i++)
        {
            if (i < ranked.Length && relevant.BinarySearch(ranked[i]) >= 0)
            {
                hits++;
                dcg += RankingMetrics.Discount(i);
            }
            if (i < relevant.Length) ideal += RankingMetrics.Discount(i);
            precisionSum[i] += (double)hits / (i + 1);
            recallSum[i] += (double)hits / relevant.Length;
            ndcgSum[i] += dcg / ideal;
        }
    }
}
