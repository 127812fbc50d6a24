namespace Earworm.Evaluation.Metrics;

/// <summary>
/// The playlist-continuation metrics of the RecSys Challenge 2018 (Chen, Lamere, Schedl &amp; Zamani 2018, "Recsys
/// challenge 2018: automatic music playlist continuation"), at the track level, with the conventions of
/// <see cref="RankingMetrics"/> (<c>relevant</c> sorted ascending without duplicates, never empty).
/// </summary>
public static class ContinuationMetrics
{
    /// <summary>Tracks the challenge's "Recommended Songs" feature shows per refresh.</summary>
    public const int ClicksPageSize = 10;

    /// <summary>R-precision = relevant items among the first |relevant| of the list / |relevant|. (The challenge also
    /// gives 0.25 for a wrong track by a relevant artist; Earworm's measure counts tracks only.)</summary>
    public static double RPrecision(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant)
    {
        RankingMetrics.Check(relevant, 1);
        return (double)RankingMetrics.Hits(ranked, relevant, relevant.Length) / relevant.Length;
    }

    /// <summary>Recommended-songs clicks: refreshes of 10 tracks before the first relevant one shows,
    /// ⌊(rank − 1) / 10⌋ for a 1-based rank; when none of the list is relevant, one more than the list allows
    /// (51 for the challenge's 500).</summary>
    public static int Clicks(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int listLength)
    {
        RankingMetrics.Check(relevant, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(listLength, 1);
        int depth = Math.Min(ranked.Length, listLength);
        for (int i = 0; i < depth; i++)
            if (relevant.BinarySearch(ranked[i]) >= 0) return i / ClicksPageSize;
        return listLength / ClicksPageSize + 1;
    }
}
