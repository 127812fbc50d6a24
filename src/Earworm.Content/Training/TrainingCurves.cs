using ScottPlot;

namespace Earworm.Content.Training;

/// <summary>The training curves as a PNG (ScottPlot): losses per epoch on the left, the validation metric on the right.</summary>
public static class TrainingCurves
{
    public static void Save(IReadOnlyList<EpochRecord> history, string objective, string path, int width = 1200, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var xs = history.Select(e => (double)e.Epoch).ToArray();
        var loss = figure.GetPlot(0);
        var train = loss.Add.ScatterLine(xs, history.Select(e => e.TrainLoss).ToArray());
        train.LegendText = "training";
        train.LineWidth = 2;
        var withVal = history.Where(e => e.ValidationLoss is not null).ToList();
        if (withVal.Count > 0)
        {
            var val = loss.Add.ScatterLine(withVal.Select(e => (double)e.Epoch).ToArray(), withVal.Select(e => e.ValidationLoss!.Value).ToArray());
            val.LegendText = "validation";
            val.LineWidth = 2;
        }
        loss.Title($"{objective} loss");
        loss.XLabel("epoch");
        loss.ShowLegend(Edge.Right);
        var metric = figure.GetPlot(1);
        var withMetric = history.Where(e => e.ValidationMetric is not null).ToList();
        if (withMetric.Count > 0)
        {
            var m = metric.Add.ScatterLine(withMetric.Select(e => (double)e.Epoch).ToArray(), withMetric.Select(e => e.ValidationMetric!.Value).ToArray());
            m.LineWidth = 2;
        }
        metric.Title(objective == "contrastive" ? "validation pair accuracy" : "validation mean cosine to target");
        metric.XLabel("epoch");
        figure.SavePng(path, width, height);
    }
}
