namespace Earworm.Evaluation.Metrics;

/// <summary>
/// What a recommendation list is like beyond hitting held-out items: how much of the catalog the lists reach,
/// how varied one list is, how unexpected and how popular its items are. Each list method looks at the first
/// <c>k</c> items of <c>ranked</c> (all of it when shorter) and returns 0 for an empty list. Popularity is an
/// item's number of training users (<see cref="ItemPopularity.UserCounts"/>).
/// </summary>
public static class BeyondAccuracyMetrics
{
    /// <summary>Catalog coverage = distinct items over all users' top-k lists / catalog size (Ge, Delgado-Battenfeld
    /// &amp; Jannach 2010, "prediction coverage" of the recommended lists).</summary>
    public static double CatalogCoverage(IEnumerable<int[]> lists, int k, int catalogSize)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(catalogSize, 1);
        var distinct = new HashSet<int>();
        foreach (var list in lists)
            foreach (int item in list.AsSpan(0, Math.Min(k, list.Length))) distinct.Add(item);
        return (double)distinct.Count / catalogSize;
    }

    /// <summary>
    /// Intra-list diversity = mean cosine distance 1 − cos(a, b) over the k(k−1)/2 unordered pairs of the top k,
    /// in any space (Ziegler et al. 2005 use its complement, intra-list similarity). A zero vector has cosine 0
    /// with everything (distance 1). A list of fewer than two items has diversity 0.
    /// </summary>
    /// <param name="vector">an item's vector in the chosen space; all of one length.</param>
    public static double IntraListDiversity(ReadOnlySpan<int> ranked, int k, Func<int, ReadOnlyMemory<float>> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int n = Math.Min(k, ranked.Length);
        if (n < 2) return 0;
        var vectors = new ReadOnlyMemory<float>[n];
        var norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            vectors[i] = vector(ranked[i]);
            if (vectors[i].Length != vectors[0].Length)
                throw new ArgumentException($"item {ranked[i]} has a vector of length {vectors[i].Length}, item {ranked[0]} one of {vectors[0].Length}", nameof(vector));
            norms[i] = Math.Sqrt(Dot(vectors[i].Span, vectors[i].Span));
        }
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double cos = norms[i] == 0 || norms[j] == 0 ? 0 : Dot(vectors[i].Span, vectors[j].Span) / (norms[i] * norms[j]);
                sum += 1 - cos;
            }
        return sum / (n * (n - 1) / 2.0);
    }

    /// <summary>
    /// Novelty = mean self-information −log2(popularity / userCount) of the top k, in bits (Zhou et al. 2010,
    /// "Solving the apparent diversity–accuracy dilemma", PNAS). An item no training user has counts as if one had
    /// (log2 userCount bits, the most an observed item can score), so cold items keep the mean finite.
    /// </summary>
    public static double Novelty(ReadOnlySpan<int> ranked, int k, ReadOnlySpan<int> popularity, int userCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(userCount, 1);
        int n = Math.Min(k, ranked.Length);
        if (n == 0) return 0;
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum -= Math.Log2((double)Math.Max(popularity[ranked[i]], 1) / userCount);
        return sum / n;
    }

    /// <summary>Average recommended popularity = mean number of training users of the top k's items
    /// (Abdollahpouri, Burke &amp; Mobasher 2019, ARP).</summary>
    public static double AveragePopularity(ReadOnlySpan<int> ranked, int k, ReadOnlySpan<int> popularity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int n = Math.Min(k, ranked.Length);
        if (n == 0) return 0;
        long sum = 0;
        for (int i = 0; i < n; i++) sum += popularity[ranked[i]];
        return (double)sum / n;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
