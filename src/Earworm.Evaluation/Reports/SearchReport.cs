using System.Globalization;
using System.Text;
using Earworm.Evaluation.Tuning;

namespace Earworm.Evaluation.Reports;

/// <summary>Hyper-parameter searches as Markdown: per search, how it validated and one row per configuration with its
/// validation NDCG and the seconds it took, the chosen one in bold. <c>train cf --tune</c> prints it, <c>evaluate
/// --tune</c> puts it under its table.</summary>
public static class SearchReport
{
    public static string Markdown(IReadOnlyList<AlsSearchResult> searches)
    {
        ArgumentNullException.ThrowIfNull(searches);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("## ALS hyper-parameter search").AppendLine();
        md.AppendLine("Each search fits every configuration of the grid on part of the training data it is given and measures it on the rest " +
                      "(the validation split below; an evaluation's test items are never part of it); the configuration with the highest " +
                      "validation NDCG is chosen (the first on a tie) and trained on the whole training data.").AppendLine();
        foreach (var s in searches)
        {
            md.Append(c, $"**{(searches.Count > 1 ? $"Split seed {s.Seed}" : "Search")}.** Grid: {s.Grid}{(s.Binary ? " (the data is binary: every count 1)" : "")}. ");
            md.Append(c, $"Validation: {s.Validation}, {s.ValidationPairs:N0} of {s.SearchedPairs:N0} pairs held out. ");
            md.Append(c, $"Chosen: {s.Best.Label} (validation NDCG@{s.K} {s.Best.ValidationNdcg:0.0000}); search {s.TotalSeconds:0.0} s.").AppendLine().AppendLine();
            md.Append(c, $"| scaling | α | λ | factors | iterations | validation NDCG@{s.K} | seconds |").AppendLine();
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int i = 0; i < s.Rows.Count; i++)
            {
                var r = s.Rows[i];
                string b = i == s.Chosen ? "**" : "";
                md.Append(c, $"| {b}{r.Scaling}{b} | {b}{r.Alpha:0.###}{b} | {b}{r.Regularization:0.####}{b} | {b}{r.Factors}{b} | {b}{r.Iterations}{b} | ");
                md.Append(c, $"{b}{r.ValidationNdcg:0.0000}{b} | {r.Seconds:0.0} |").AppendLine();
            }
            md.AppendLine();
        }
        return md.ToString();
    }
}
