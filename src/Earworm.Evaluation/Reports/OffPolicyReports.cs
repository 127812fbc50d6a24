using System.Globalization;
using System.Text;
using System.Text.Json;
using Earworm.Evaluation.OffPolicy;
using ScottPlot;

namespace Earworm.Evaluation.Reports;

/// <summary>An off-policy evaluation as Markdown (one table per target: estimators × estimate, interval, ESS and, when
/// simulated, bias and coverage), JSON (the same record) and the drift race's figure.</summary>
public static class OffPolicyReports
{
    public const string RaceFigureFile = "drift-race.png";

    public static string Markdown(OffPolicyReport report, IEnumerable<string>? figures = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# Off-policy evaluation: {report.Source}").AppendLine().AppendLine();
        md.Append("**Protocol.** ").Append(report.Description).AppendLine().AppendLine();
        md.Append(c, $"**Log.** Logging policy {report.LoggingPolicy}, {report.DecisionsPerRun:N0} decisions per run, {Counted.Of(report.Seeds.Count, "run")}.")
            .AppendLine().AppendLine();
        bool simulated = report.Targets.Any(t => t.Truth is not null);
        foreach (var t in report.Targets)
        {
            md.Append(c, $"## {t.Policy} ({t.Version})").AppendLine().AppendLine();
            if (t.Truth is double truth) md.Append(c, $"True mean reward (on-policy): **{truth:0.0000}**.").AppendLine().AppendLine();
            md.Append("| estimator | estimate | 95 % interval | ESS |");
            if (simulated) md.Append(" bias | bias 95 % interval | coverage |");
            md.AppendLine().Append("| --- | ---: | ---: | ---: |");
            if (simulated) md.Append(" ---: | ---: | ---: |");
            md.AppendLine();
            foreach (var e in t.Estimators)
            {
                md.Append(c, $"| {e.Estimator} | {F(e.Value)} | {F(e.Lower)}–{F(e.Upper)} | {e.EffectiveSampleSize:0} |");
                if (simulated) md.Append(c, $" {F(e.Bias)} | {F(e.BiasLower)} – {F(e.BiasUpper)} | {(e.Coverage is double cov ? cov.ToString("0.00", c) : "–")} |");
                md.AppendLine();
            }
            md.AppendLine();
        }
        if (report.Targets.Count > 0 && report.Seeds.Count > 1)
            md.AppendLine("Estimates, interval bounds and ESS are means over runs.").AppendLine();
        if (report.Race is { } race)
        {
            md.AppendLine("## Drift race").AppendLine().AppendLine(race.Description).AppendLine();
            md.AppendLine("| policy | version | cumulative reward (mean ± std over seeds) |").AppendLine("| --- | --- | ---: |");
            foreach (var curve in race.Curves.OrderByDescending(x => x.FinalMean))
                md.Append(c, $"| {curve.Policy} | {curve.Version} | {curve.FinalMean:0.0} ± {curve.FinalStd:0.0} |").AppendLine();
            md.AppendLine();
        }
        if (figures is not null)
            foreach (var figure in figures) md.Append(c, $"![{Path.GetFileNameWithoutExtension(figure)}]({figure})").AppendLine();
        return md.ToString();
    }

    public static string Json(OffPolicyReport report) => JsonSerializer.Serialize(report, JsonReport.Options);

    public static OffPolicyReport ReadJson(string json) =>
        JsonSerializer.Deserialize<OffPolicyReport>(json, JsonReport.Options) ?? throw new JsonException("the JSON holds null, not an off-policy report");

    /// <summary>Cumulative reward against decisions, one line per policy (mean over seeds).</summary>
    public static void RaceFigure(DriftRace race, string path, int width = 1000, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(race);
        var plot = new Plot();
        var xs = race.Checkpoints.Select(x => (double)x).ToArray();
        foreach (var (curve, index) in race.Curves.Select((cv, i) => (cv, i)))
        {
            var line = plot.Add.ScatterLine(xs, [.. curve.CumulativeReward]);
            line.LegendText = curve.Policy;
            line.LineWidth = 2;
            line.Color = new ScottPlot.Palettes.Category10().GetColor(index);
        }
        plot.Title("Cumulative reward while tastes drift (mean over seeds)");
        plot.XLabel("decisions");
        plot.YLabel("plays");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, width, height);
    }

    /// <summary>report.md, report.json and (with a race) its figure in <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(OffPolicyReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string[] figures = [];
        if (report.Race is { } race)
        {
            var png = Path.Combine(directory, RaceFigureFile);
            RaceFigure(race, png);
            files.Add(png);
            figures = [RaceFigureFile];
        }
        var markdown = Path.Combine(directory, ReportWriter.MarkdownFile);
        File.WriteAllText(markdown, Markdown(report, figures));
        var json = Path.Combine(directory, ReportWriter.JsonFile);
        File.WriteAllText(json, Json(report));
        return [markdown, json, .. files];
    }

    private static string F(double? value) => value is double v && double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
