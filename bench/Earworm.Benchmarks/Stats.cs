namespace Earworm.Benchmarks;

/// <summary>The summaries every benchmark quotes.</summary>
internal static class Stats
{
    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        if (s.Length == 0) throw new ArgumentException("no values to take the median of", nameof(values));
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, nearest rank (p99 of 100 values is the 99th).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
