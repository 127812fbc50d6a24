namespace Earworm.Learning.Tagging;

/// <summary>The figures a multi-label tagger is judged and tuned by, per tag: ROC-AUC (as music autotagging reports it:
/// Choi et al. 2016, Pons et al. 2018) and the threshold a tag is given at.</summary>
public static class TagMetrics
{
    /// <summary>
    /// The area under the ROC curve of <paramref name="scores"/> against <paramref name="positive"/>: the probability that
    /// a positive drawn at random scores above a negative drawn at random, ties counting half (the Mann–Whitney U over
    /// positives × negatives, from average ranks). NaN when either class is empty.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length) throw new ArgumentException($"{scores.Length} scores, {positive.Length} labels");
        int n = scores.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[a].CompareTo(s[b]));
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;            // average rank of the tie group, 1-based
            for (int k = i; k <= j; k++)
                if (positive[order[k]]) { rankSum += rank; positives++; }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// The threshold on <paramref name="scores"/> whose decisions (score ≥ threshold) have the best F1 against
    /// <paramref name="positive"/>: the midpoint between the lowest score taken and the next below it (the highest of
    /// equal F1s, so fewer false tags). <paramref name="fallback"/> when there is no positive.
    /// </summary>
    public static (float Threshold, double F1) BestF1Threshold(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive, float fallback = 0.5f)
    {
        if (scores.Length != positive.Length) throw new ArgumentException($"{scores.Length} scores, {positive.Length} labels");
        int n = scores.Length, total = 0;
        for (int i = 0; i < n; i++) if (positive[i]) total++;
        if (total == 0) return (fallback, double.NaN);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a]));    // best first
        double bestF1 = -1;
        float best = fallback;
        int tp = 0, taken = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) j++;
            for (int k = i; k <= j; k++) { taken++; if (positive[order[k]]) tp++; }
            double f1 = 2.0 * tp / (taken + total);
            if (f1 > bestF1)
            {
                bestF1 = f1;
                float below = j + 1 < n ? s[order[j + 1]] : s[order[j]] - 1e-3f;
                best = (s[order[j]] + below) / 2;
            }
            i = j + 1;
        }
        return (best, bestF1);
    }
}
