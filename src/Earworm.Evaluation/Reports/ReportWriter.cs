using Earworm.Evaluation.Protocols;

namespace Earworm.Evaluation.Reports;

/// <summary>Writes a whole report folder: report.md, report.json and the two figures.</summary>
public static class ReportWriter
{
    public const string MarkdownFile = "report.md";
    public const string JsonFile = "report.json";

    /// <summary>Creates <paramref name="directory"/> when missing and (over)writes the four files in it; returns their paths.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var curves = Path.Combine(directory, ReportPlots.MetricsVersusKFile);
        var popularity = Path.Combine(directory, ReportPlots.RecommendedPopularityFile);
        ReportPlots.MetricsVersusK(report, curves);
        ReportPlots.RecommendedPopularity(report, popularity);
        var markdown = Path.Combine(directory, MarkdownFile);
        File.WriteAllText(markdown, MarkdownReport.Write(report, [ReportPlots.MetricsVersusKFile, ReportPlots.RecommendedPopularityFile]));
        var json = Path.Combine(directory, JsonFile);
        File.WriteAllText(json, JsonReport.Write(report));
        return [markdown, json, curves, popularity];
    }
}
