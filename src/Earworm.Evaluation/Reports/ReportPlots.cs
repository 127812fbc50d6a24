using System.Globalization;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using ScottPlot;

namespace Earworm.Evaluation.Reports;

/// <summary>PNG figures of an evaluation (ScottPlot on SkiaSharp; no display needed).</summary>
public static class ReportPlots
{
    /// <summary>File name of <see cref="MetricsVersusK"/>'s figure.</summary>
    public const string MetricsVersusKFile = "metrics-vs-k.png";

    /// <summary>File name of <see cref="RecommendedPopularity"/>'s figure.</summary>
    public const string RecommendedPopularityFile = "recommended-popularity.png";

    /// <summary>Three panels, NDCG@K, recall@K and precision@K for K = 1..CurveMaxK, one line per model (mean over runs).</summary>
    public static void MetricsVersusK(EvaluationReport report, string path, int width = 1600, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var figure = new Multiplot();
        figure.AddPlots(3);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        (string Name, Func<MetricCurves, double[]> Curve)[] panels =
            [("NDCG@K", c => c.Ndcg), ("Recall@K", c => c.Recall), ("Precision@K", c => c.Precision)];
        for (int p = 0; p < panels.Length; p++)
        {
            var plot = figure.GetPlot(p);
            foreach (var (model, index) in report.Models.Select((m, i) => (m, i)))
            {
                var ys = panels[p].Curve(model.Curves);
                var xs = Enumerable.Range(1, ys.Length).Select(k => (double)k).ToArray();
                var line = plot.Add.ScatterLine(xs, ys);
                line.LegendText = model.Model;
                line.LineWidth = 2;
                line.Color = Palette(index);
            }
            plot.Title(panels[p].Name);
            plot.XLabel("K");
            plot.YLabel(panels[p].Name);
            plot.Axes.Bottom.Min = 0;
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsY(0, Math.Max(plot.Axes.GetLimits().Top, 1e-3));
            if (p == panels.Length - 1) plot.ShowLegend(Edge.Right);
            else plot.HideLegend();
        }
        figure.GetPlot(0).Axes.Title.Label.Text = "NDCG@K — " + Caption(report);
        figure.SavePng(path, width, height);
    }

    /// <summary>The popularity of recommended items: for each model, the share of its top-K recommendations in each
    /// popularity band (training users, doubling bands), beside the held-out items' own distribution.</summary>
    public static void RecommendedPopularity(EvaluationReport report, string path, int width = 1000, int height = 540)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var plot = new Plot();
        int bands = report.HeldOutPopularity.Counts.Length;
        var xs = Enumerable.Range(0, bands).Select(b => (double)b).ToArray();
        var held = plot.Add.ScatterLine(xs, report.HeldOutPopularity.Shares());
        held.LegendText = "held-out items";
        held.LineWidth = 3;
        held.Color = Colors.Black;
        held.LinePattern = LinePattern.Dashed;
        foreach (var (model, index) in report.Models.Select((m, i) => (m, i)))
        {
            var line = plot.Add.Scatter(xs, model.RecommendedPopularity.Shares());
            line.LegendText = model.Model;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.Color = Palette(index);
        }
        // each band labelled by its lowest popularity: full "1024–2047" labels would collide
        plot.Axes.Bottom.SetTicks(xs, [.. Enumerable.Range(0, bands).Select(b => PopularityHistogram.BandMinimum(b).ToString(CultureInfo.InvariantCulture))]);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Popularity of the top-{report.K} recommendations — {Caption(report)}"));
        plot.XLabel("item popularity: training users (bands 0, 1, 2–3, 4–7, …, labelled by their lowest value)");
        plot.YLabel("share of recommendations");
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, Math.Max(plot.Axes.GetLimits().Top, 1e-3));
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, width, height);
    }

    private static string Caption(EvaluationReport report) =>
        string.Create(CultureInfo.InvariantCulture, $"{report.Dataset}, {report.Protocol}, {Counted.Of(report.Seeds.Count, "run")}");

    private static Color Palette(int index) => new ScottPlot.Palettes.Category10().GetColor(index);
}
