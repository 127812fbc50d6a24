using System.Globalization;

namespace Earworm.Evaluation.Metrics;

/// <summary>The names metrics go by in results, JSON and report columns, in report order.</summary>
public static class MetricNames
{
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string F1 = "f1";
    public const string Ndcg = "ndcg";
    public const string Map = "map";
    public const string Mrr = "mrr";
    public const string HitRate = "hit_rate";
    public const string Auc = "auc";
    public const string Coverage = "coverage";
    public const string Diversity = "diversity";
    public const string Novelty = "novelty";
    public const string AveragePopularity = "arp";
    public const string RPrecision = "r_precision";
    public const string Clicks = "clicks";

    /// <summary>Every metric, in the order reports show them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Precision, Recall, F1, Ndcg, Map, Mrr, HitRate, Auc, Coverage, Diversity, Novelty, AveragePopularity];

    /// <summary>A column heading: "NDCG@10", "AUC", "Novelty@10 (bits)".</summary>
    public static string Heading(string metric, int k)
    {
        string at = "@" + k.ToString(CultureInfo.InvariantCulture);
        return metric switch
        {
            Precision => "P" + at,
            Recall => "R" + at,
            F1 => "F1" + at,
            Ndcg => "NDCG" + at,
            Map => "MAP" + at,
            Mrr => "MRR" + at,
            HitRate => "HR" + at,
            Auc => "AUC",
            Coverage => "Coverage" + at,
            Diversity => "ILD" + at,
            Novelty => "Novelty" + at + " (bits)",
            AveragePopularity => "ARP" + at,
            RPrecision => "R-precision",
            Clicks => "Clicks",
            _ => metric,
        };
    }

    /// <summary>How a value of the metric is written: four decimals for fractions, fewer for bits and user counts.</summary>
    public static string Format(string metric, double value) => metric switch
    {
        Novelty => value.ToString("F2", CultureInfo.InvariantCulture),
        AveragePopularity => value.ToString("F1", CultureInfo.InvariantCulture),
        Clicks => value.ToString("F2", CultureInfo.InvariantCulture),
        _ => value.ToString("F4", CultureInfo.InvariantCulture),
    };
}
