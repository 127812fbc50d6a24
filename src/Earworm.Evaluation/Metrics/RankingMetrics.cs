namespace Earworm.Evaluation.Metrics;

/// <summary>
/// Accuracy of one ranked list against one user's relevant (held-out) items, binary relevance.
/// <para>Conventions, for every method: <c>ranked</c> is the recommendation list, best first, without
/// duplicates; <c>relevant</c> is the set of held-out items, sorted ascending without duplicates, never
/// empty (a user with nothing held out is not evaluated); only the first <c>k</c> positions count, and a
/// list shorter than k counts its missing positions as misses.</para>
/// </summary>
public static class RankingMetrics
{
    /// <summary>Precision@k = hits in the top k / k (always divided by k, even when fewer than k items are relevant
    /// or ranked; benfred/implicit's <c>precision_at_k</c> divides by min(k, |relevant|) instead).</summary>
    public static double Precision(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Check(relevant, k);
        return (double)Hits(ranked, relevant, k) / k;
    }

    /// <summary>Recall@k = hits in the top k / |relevant|.</summary>
    public static double Recall(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Check(relevant, k);
        return (double)Hits(ranked, relevant, k) / relevant.Length;
    }

    /// <summary>F1@k = harmonic mean of precision@k and recall@k, 0 when both are 0.</summary>
    public static double F1(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        double p = Precision(ranked, relevant, k), r = Recall(ranked, relevant, k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>
    /// NDCG@k with binary gains and the log2 discount: DCG = Σ_{i=1..k} rel_i / log2(i + 1) over positions
    /// i (1-based), divided by the ideal DCG, that of min(|relevant|, k) hits at the top (Järvelin &amp;
    /// Kekäläinen 2002; the binary form of benfred/implicit's <c>ndcg_at_k</c>).
    /// </summary>
    public static double Ndcg(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Check(relevant, k);
        double dcg = 0;
        int depth = Math.Min(k, ranked.Length);
        for (int i = 0; i < depth; i++)
            if (relevant.BinarySearch(ranked[i]) >= 0) dcg += Discount(i);
        double ideal = 0;
        for (int i = 0, n = Math.Min(relevant.Length, k); i < n; i++) ideal += Discount(i);
        return dcg / ideal;
    }

    /// <summary>
    /// Average precision@k = (1 / min(|relevant|, k)) · Σ_{i=1..k} precision@i · rel_i. The normaliser
    /// min(|relevant|, k), not |relevant|, is the convention of Hamner's ml_metrics <c>apk</c> and of benfred/implicit's
    /// <c>mean_average_precision_at_k</c>: a list that puts relevant items in all of its k places scores 1 even when
    /// more than k items are relevant. Its mean over users is MAP@k.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Check(relevant, k);
        double sum = 0;
        int hits = 0, depth = Math.Min(k, ranked.Length);
        for (int i = 0; i < depth; i++)
        {
            if (relevant.BinarySearch(ranked[i]) < 0) continue;
            hits++;
            sum += (double)hits / (i + 1);
        }
        return sum / Math.Min(relevant.Length, k);
    }

    /// <summary>Reciprocal rank@k = 1 / (1-based position of the first relevant item in the top k), 0 when none is there.
    /// Its mean over users is MRR@k.</summary>
    public static double ReciprocalRank(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Check(relevant, k);
        int depth = Math.Min(k, ranked.Length);
        for (int i = 0; i < depth; i++)
            if (relevant.BinarySearch(ranked[i]) >= 0) return 1.0 / (i + 1);
        return 0;
    }

    /// <summary>Hit rate@k = 1 when at least one relevant item is in the top k, else 0.</summary>
    public static double HitRate(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Check(relevant, k);
        return Hits(ranked, relevant, k) > 0 ? 1 : 0;
    }

    /// <summary>
    /// AUC: the fraction of (relevant, non-relevant) candidate pairs in which the relevant item is ranked above
    /// the other. The candidates are the items the user could be recommended (the catalog minus the user's training
    /// items); <paramref name="ranked"/> lists candidates only, and all of it counts (no cut at k). Candidates
    /// missing from the list are tied below every listed one: a listed item beats every unlisted one, and a pair of
    /// two unlisted items counts ½ — so a list of the whole candidate set gives the exact AUC, and a truncated list
    /// gives benfred/implicit's <c>AUC_at_k</c> (whose candidates are the whole catalog).
    /// </summary>
    /// <param name="candidateCount">number of candidates; must exceed |relevant| (at least one non-relevant item).</param>
    public static double Auc(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int candidateCount)
    {
        Check(relevant, 1);
        long negatives = candidateCount - relevant.Length;
        if (negatives <= 0)
            throw new ArgumentOutOfRangeException(nameof(candidateCount), candidateCount,
                $"AUC needs at least one non-relevant candidate; {relevant.Length} of {candidateCount} are relevant");
        if (ranked.Length > candidateCount)
            throw new ArgumentException($"the list ({ranked.Length} items) is longer than the candidate set ({candidateCount})", nameof(ranked));
        double correct = 0;
        long hits = 0, misses = 0;
        foreach (int item in ranked)
        {
            if (relevant.BinarySearch(item) >= 0) hits++;
            else
            {
                misses++;
                correct += hits;   // the relevant items listed above this one
            }
        }
        // unlisted non-relevant items: below every listed relevant item, tied with every unlisted one
        correct += (negatives - misses) * (hits + (relevant.Length - hits) * 0.5);
        return correct / (relevant.Length * (double)negatives);
    }

    /// <summary>Number of relevant items among the first k of the list.</summary>
    public static int Hits(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        int hits = 0, depth = Math.Min(k, ranked.Length);
        for (int i = 0; i < depth; i++)
            if (relevant.BinarySearch(ranked[i]) >= 0) hits++;
        return hits;
    }

    /// <summary>The log2 discount of 0-based position <paramref name="index"/>: 1 / log2(index + 2).</summary>
    internal static double Discount(int index) => 1.0 / Math.Log2(index + 2);

    internal static void Check(ReadOnlySpan<int> relevant, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (relevant.IsEmpty) throw new ArgumentException("no relevant items: the metric is undefined for this user", nameof(relevant));
        for (int i = 1; i < relevant.Length; i++)
            if (relevant[i] <= relevant[i - 1])
                throw new ArgumentException("relevant items must be sorted ascending without duplicates", nameof(relevant));
    }
}
