using System.Globalization;
using System.Text;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;

namespace Earworm.Evaluation.Reports;

/// <summary>An evaluation as Markdown: the protocol in words, then one row per model and one column per metric
/// (<c>mean ± std</c> over runs; the figure alone for one run), then the metric conventions and, when given, the figures.</summary>
public static class MarkdownReport
{
    /// <param name="figures">image files to link below the table (paths relative to the report).</param>
    public static string Write(EvaluationReport report, IEnumerable<string>? figures = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# Evaluation: {report.Dataset}, {report.Protocol} protocol").AppendLine().AppendLine();
        md.Append("**Data.** ").Append(report.DataSummary ?? string.Create(c, $"{report.UserCount:N0} users × {report.ItemCount:N0} items, {report.InteractionCount:N0} interactions.")).AppendLine().AppendLine();
        md.Append("**Protocol.** ").Append(report.Description).AppendLine().AppendLine();
        var first = report.Models.FirstOrDefault()?.Runs;
        if (first is not null)
        {
            md.Append("**Runs.** ");
            md.AppendJoin("; ", first.Select((run, i) => string.Create(c,
                $"seed {run.Seed}: {run.TrainInteractions:N0} training and {run.TestInteractions:N0} test interactions, {run.EvaluatedUsers:N0} {report.TestUnit ?? "test users"}")));
            md.Append('.').AppendLine().AppendLine();
        }

        md.Append("| model |");
        foreach (var metric in report.Metrics) md.Append(' ').Append(MetricNames.Heading(metric, report.K)).Append(" |");
        md.AppendLine().Append("| --- |");
        foreach (var _ in report.Metrics) md.Append(" ---: |");
        md.AppendLine();
        foreach (var model in report.Models)
        {
            md.Append("| ").Append(model.Model).Append(" |");
            foreach (var metric in report.Metrics)
            {
                var s = model.Get(metric);
                // one run has no spread to show: its figure alone, not "± 0" as if the seeds had agreed
                md.Append(' ').Append(s is null ? "–" : model.Runs.Count < 2 ? MetricNames.Format(metric, s.Mean)
                    : $"{MetricNames.Format(metric, s.Mean)} ± {MetricNames.Format(metric, s.Std)}").Append(" |");
            }
            md.AppendLine();
        }
        md.AppendLine();

        md.AppendLine("**Timing (mean over runs).** " + string.Join("; ", report.Models.Select(m => string.Create(c,
            $"{m.Model}: fit {m.Runs.Average(r => r.FitSeconds):0.###} s, recommend {m.Runs.Average(r => r.RecommendSeconds):0.###} s"))) + ".");
        md.AppendLine();
        if (report.Conventions is { } conventions) md.AppendLine(conventions);
        else md.AppendLine("**Conventions.** Binary relevance: an item is relevant when it is held out for the user. " +
            "P@K = hits/K; R@K = hits/|held out|; F1 their harmonic mean; NDCG@K with the log2 discount and the ideal DCG of min(|held out|, K) hits; " +
            "MAP@K normalises average precision by min(|held out|, K) (ml_metrics `apk`, benfred/implicit); MRR@K and HR@K look at the first hit in the top K. " +
            "AUC is the share of (held-out, other candidate) pairs ranked the right way round, candidates below the ranked list counting as tied. " +
            "Coverage@K = distinct items in all top-K lists / candidate catalog; " +
            (report.DiversitySpace is null ? "" : $"ILD@K = mean pairwise cosine distance in the `{report.DiversitySpace}` space; ") +
            "Novelty@K = mean −log2(training users of the item / all users) in bits; ARP@K = mean number of training users of the recommended items; " +
            "these two average over users given a non-empty list" + (report.DiversitySpace is null ? "" : ", ILD over users given two items or more") +
            ", and \"–\" marks a metric no user qualified for.");
        if (report.Searches is { Count: > 0 } searches) md.AppendLine().Append(SearchReport.Markdown(searches));
        if (figures is not null)
        {
            md.AppendLine();
            foreach (var figure in figures) md.Append(c, $"![{Path.GetFileNameWithoutExtension(figure)}]({figure})").AppendLine();
        }
        return md.ToString();
    }
}
