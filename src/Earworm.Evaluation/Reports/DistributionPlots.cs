using ScottPlot;

namespace Earworm.Evaluation.Reports;

/// <summary>Histograms of one measured quantity over a library (descriptor reports).</summary>
public static class DistributionPlots
{
    /// <summary>A histogram of <paramref name="values"/> with <paramref name="bins"/> equal bins between the
    /// 0.5th and 99.5th percentiles (outliers fall in the end bins), written as a PNG.</summary>
    public static void Histogram(IReadOnlyList<double> values, string title, string xLabel, string path, int bins = 30,
        int width = 800, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var plot = new Plot();
        var finite = values.Where(double.IsFinite).Order().ToArray();
        if (finite.Length > 0)
        {
            double lo = finite[(int)(0.005 * (finite.Length - 1))], hi = finite[(int)Math.Ceiling(0.995 * (finite.Length - 1))];
            if (hi <= lo) hi = lo + 1;
            double width1 = (hi - lo) / bins;
            var counts = new double[bins];
            foreach (var v in finite) counts[Math.Clamp((int)((v - lo) / width1), 0, bins - 1)]++;
            var bars = counts.Select((c, i) => new Bar { Position = lo + (i + 0.5) * width1, Value = c, Size = width1 * 0.95 }).ToList();
            plot.Add.Bars(bars);
            plot.Axes.Margins(bottom: 0);
        }
        plot.Title($"{title} (n = {finite.Length})");
        plot.XLabel(xLabel);
        plot.YLabel("tracks");
        plot.SavePng(path, width, height);
    }

    /// <summary>A bar chart of counts per category, in the given order.</summary>
    public static void Categories(IReadOnlyList<(string Label, double Count)> categories, string title, string path,
        int width = 1000, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var plot = new Plot();
        var bars = categories.Select((c, i) => new Bar { Position = i, Value = c.Count }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(),
            categories.Select(c => c.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel("tracks");
        plot.SavePng(path, width, height);
    }
}
