using ScottPlot;

namespace Earworm.Content.Inspection;

/// <summary>The library map as a PNG (ScottPlot): one colour per group (album, i.e. soundtrack), a legend beside it.</summary>
public static class LibraryMapPlot
{
    public static void Save(IReadOnlyList<(double X, double Y, string Group)> points, string title, string path, int width = 1400, int height = 1000)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        int g = 0;
        foreach (var group in points.GroupBy(p => p.Group).OrderByDescending(x => x.Count()).ThenBy(x => x.Key, StringComparer.Ordinal))
        {
            var s = plot.Add.ScatterPoints(group.Select(p => p.X).ToArray(), group.Select(p => p.Y).ToArray());
            s.Color = palette.GetColor(g++);
            s.MarkerSize = 9;
            s.MarkerShape = g > 20 ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
            s.LegendText = $"{group.Key} ({group.Count()})";
        }
        plot.Title(title);
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
