using System.Numerics;

namespace Earworm.Evaluation.Metrics;

/// <summary>
/// How many recommended (or held-out) items fall in each popularity band, popularity being the item's number
/// of training users. Bands double: band 0 is popularity 0, band b ≥ 1 is [2^(b−1), 2^b − 1] (1, 2–3, 4–7, …),
/// fixed whatever the data, so histograms of different seeds and models add up.
/// </summary>
public sealed record PopularityHistogram(long[] Counts)
{
    /// <summary>Band of one popularity: 0 for 0, else 1 + floor(log2(popularity)).</summary>
    public static int Band(int popularity) => popularity <= 0 ? 0 : 1 + BitOperations.Log2((uint)popularity);

    /// <summary>The lowest popularity in band <paramref name="band"/>.</summary>
    public static int BandMinimum(int band) => band == 0 ? 0 : 1 << (band - 1);

    /// <summary>The highest popularity in band <paramref name="band"/>.</summary>
    public static int BandMaximum(int band) => band == 0 ? 0 : (1 << band) - 1;

    /// <summary>"0", "1", "2–3", "4–7"…</summary>
    public static string BandLabel(int band) =>
        band <= 1 ? BandMinimum(band).ToString(System.Globalization.CultureInfo.InvariantCulture)
                  : FormattableString.Invariant($"{BandMinimum(band)}–{BandMaximum(band)}");

    /// <summary>Number of bands needed for popularities up to <paramref name="maxPopularity"/>.</summary>
    public static int BandCount(int maxPopularity) => Band(Math.Max(maxPopularity, 0)) + 1;

    public long Total => Counts.Sum();

    /// <summary>Each band's share of the total (all 0 when empty).</summary>
    public double[] Shares()
    {
        long total = Total;
        return [.. Counts.Select(c => total == 0 ? 0 : (double)c / total)];
    }

    /// <summary>Counts the popularity of every item in <paramref name="items"/> into <paramref name="counts"/>.</summary>
    public static void Add(ReadOnlySpan<int> items, ReadOnlySpan<int> popularity, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (int item in items) counts[Band(popularity[item])]++;
    }
}
