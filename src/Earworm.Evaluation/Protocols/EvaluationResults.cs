using Earworm.Evaluation.Metrics;

namespace Earworm.Evaluation.Protocols;

/// <summary>One metric over the runs: mean and sample standard deviation (n − 1; 0 for one run).</summary>
public sealed record MetricSummary(string Metric, double Mean, double Std)
{
    public static MetricSummary Of(string metric, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        double mean = values.Average();
        double std = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MetricSummary(metric, mean, std);
    }
}

/// <summary>Precision, recall and NDCG at K = 1..n, averaged over test users; entry K − 1 is the value at K.</summary>
public sealed record MetricCurves(double[] Precision, double[] Recall, double[] Ndcg)
{
    /// <summary>The entry-wise mean of several runs' curves.</summary>
    public static MetricCurves Mean(IReadOnlyList<MetricCurves> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("no runs", nameof(runs));
        static double[] Average(IEnumerable<double[]> xs, int n)
        {
            var sum = new double[n];
            int count = 0;
            foreach (var x in xs)
            {
                for (int i = 0; i < n; i++) sum[i] += x[i];
                count++;
            }
            for (int i = 0; i < n; i++) sum[i] /= count;
            return sum;
        }
        int n = runs[0].Ndcg.Length;
        return new MetricCurves(Average(runs.Select(r => r.Precision), n), Average(runs.Select(r => r.Recall), n), Average(runs.Select(r => r.Ndcg), n));
    }
}

/// <summary>One model on one split.</summary>
/// <param name="Metrics">metric name (<see cref="MetricNames"/>) → value averaged over test users (coverage: over the catalog).</param>
/// <param name="EvaluatedUsers">test users measured; AucUsers of them had at least one non-relevant candidate.</param>
/// <param name="RecommendedPopularity">popularity bands of every top-K item recommended in this run.</param>
public sealed record SeedEvaluation(
    int Seed,
    int TrainInteractions,
    int TestInteractions,
    int EvaluatedUsers,
    int AucUsers,
    double FitSeconds,
    double RecommendSeconds,
    IReadOnlyDictionary<string, double> Metrics,
    MetricCurves Curves,
    PopularityHistogram RecommendedPopularity);

/// <summary>One model over every run: the summary the table shows, the mean curves, and the runs themselves.</summary>
/// <param name="RecommendedPopularity">popularity bands of the top-K items, summed over runs.</param>
public sealed record ModelEvaluation(
    string Model,
    IReadOnlyList<MetricSummary> Summary,
    MetricCurves Curves,
    PopularityHistogram RecommendedPopularity,
    IReadOnlyList<SeedEvaluation> Runs)
{
    /// <summary>The summary of one metric; null when this evaluation left it out (diversity without a space).</summary>
    public MetricSummary? Get(string metric) => Summary.FirstOrDefault(s => s.Metric == metric);
}

/// <summary>A protocol run: what was measured, how, and the results per model.</summary>
/// <param name="Description">the protocol in words (<see cref="EvaluationProtocol.Describe"/>).</param>
/// <param name="Metrics">the metrics measured, in report order.</param>
/// <param name="HeldOutPopularity">popularity bands of the held-out items, summed over runs: what users really played next.</param>
public sealed record EvaluationReport(
    string Dataset,
    int UserCount,
    int ItemCount,
    int InteractionCount,
    string Protocol,
    string Description,
    IReadOnlyList<string> Splits,
    int K,
    IReadOnlyList<int> Seeds,
    string? DiversitySpace,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<ModelEvaluation> Models,
    PopularityHistogram HeldOutPopularity)
{
    /// <summary>The hyper-parameter searches of tuned models (<c>evaluate --tune</c>), one per split; null when none ran.</summary>
    public IReadOnlyList<Tuning.AlsSearchResult>? Searches { get; init; }

    /// <summary>The data in words when it is not users × items (sequences); null: the counts above.</summary>
    public string? DataSummary { get; init; }

    /// <summary>What a run's test cases are called ("test users" when null; "questions", "test playlists").</summary>
    public string? TestUnit { get; init; }

    /// <summary>The metrics' conventions when they are not the user-ranking ones; null: those.</summary>
    public string? Conventions { get; init; }

    public ModelEvaluation? Model(string name) => Models.FirstOrDefault(m => m.Model == name);
}
