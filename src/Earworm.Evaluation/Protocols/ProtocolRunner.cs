using System.Diagnostics;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Learning;

namespace Earworm.Evaluation.Protocols;

/// <summary>
/// Runs a protocol: for each seed, splits the data, fits every trainer on the training part, measures each model
/// on the test users (<see cref="EvaluationProtocol.Describe"/> says exactly how), then summarises every metric
/// as mean ± sample standard deviation over the seeds.
/// </summary>
public static class ProtocolRunner
{
    /// <summary>Runs with the same trainers for every seed (their own seeds, if any, stay fixed: the spread over
    /// runs is then the split's).</summary>
    public static EvaluationReport Run(InteractionDataset data, IReadOnlyList<IRecommenderTrainer> trainers,
        EvaluationProtocol protocol, EvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return Run(data, _ => trainers, protocol, options, progress, cancellationToken);
    }

    /// <summary>Runs with trainers made for each seed (e.g. a model seeded with it, so the spread over runs covers
    /// the model's randomness too). Every seed must give trainers of the same names in the same order.</summary>
    public static EvaluationReport Run(InteractionDataset data, Func<int, IReadOnlyList<IRecommenderTrainer>> trainersForSeed,
        EvaluationProtocol protocol, EvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainersForSeed);
        ArgumentNullException.ThrowIfNull(protocol);
        options ??= new EvaluationOptions();
        options.Validate();
        protocol.Validate();

        var seeds = options.SeedList;
        var names = new List<string>();
        var runs = new Dictionary<string, List<SeedEvaluation>>();
        var heldOut = new long[PopularityHistogram.BandCount(data.UserCount)];
        var splitDescriptions = new List<string>();
        for (int r = 0; r < seeds.Count; r++)
        {
            int seed = seeds[r], run = r;
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new EvaluationProgress(seed, run, seeds.Count, "", EvaluationStage.Split, 0, 1));
            var split = protocol.Split(data, seed);
            splitDescriptions.Add(split.Description);
            var popularity = ItemPopularity.UserCounts(split.TrainMatrix);
            foreach (int user in split.TestUsers) PopularityHistogram.Add(split.TestItems(user), popularity, heldOut);
            progress?.Report(new EvaluationProgress(seed, run, seeds.Count, "", EvaluationStage.Split, 1, 1));

            var trainers = trainersForSeed(seed) ?? throw new InvalidOperationException($"no trainers for seed {seed}");
            var these = trainers.Select(t => t.Name).ToList();
            if (these.Distinct(StringComparer.Ordinal).Count() != these.Count)
                throw new ArgumentException($"trainer names must be distinct: {string.Join(", ", these)}", nameof(trainersForSeed));
            if (r == 0)
            {
                names.AddRange(these);
                foreach (var name in names) runs[name] = [];
            }
            else if (!these.SequenceEqual(names, StringComparer.Ordinal))
                throw new ArgumentException($"seed {seed} gave trainers {string.Join(", ", these)}, seed {seeds[0]} gave {string.Join(", ", names)}", nameof(trainersForSeed));

            foreach (var trainer in trainers)
            {
                string name = trainer.Name;
                progress?.Report(new EvaluationProgress(seed, run, seeds.Count, name, EvaluationStage.Fit, 0, 1));
                var clock = Stopwatch.StartNew();
                var relay = progress is null ? null : new TrainingRelay(progress, seed, run, seeds.Count, name);
                var model = trainer.Fit(split.TrainMatrix, relay, cancellationToken);
                double fitSeconds = clock.Elapsed.TotalSeconds;
                progress?.Report(new EvaluationProgress(seed, run, seeds.Count, name, EvaluationStage.Fit, 1, 1));
                Action<int, int>? usersDone = progress is null ? null
                    : (done, total) => progress.Report(new EvaluationProgress(seed, run, seeds.Count, name, EvaluationStage.Recommend, done, total));
                runs[name].Add(SplitMeasurement.Measure(model, split, protocol, options, seed, fitSeconds, usersDone, cancellationToken));
            }
        }

        var metrics = MetricNames.All.Where(m => m != MetricNames.Diversity || options.DiversitySpace is not null).ToList();
        var models = names.Select(name => Summarise(name, runs[name], metrics)).ToList();
        return new EvaluationReport(data.Name, data.UserCount, data.ItemCount, data.Interactions.Count,
            protocol.Name, protocol.Describe(options), splitDescriptions, options.K, seeds, options.DiversitySpace?.Name,
            metrics, models, new PopularityHistogram(heldOut));
    }

    /// <summary>One model's runs as the table shows them: each metric's mean ± std over the runs that measured it, the mean
    /// curves and the popularity bands summed.</summary>
    internal static ModelEvaluation Summarise(string name, List<SeedEvaluation> runs, List<string> metrics)
    {
        var summary = new List<MetricSummary>();
        foreach (var metric in metrics)
        {
            var values = runs.Where(r => r.Metrics.ContainsKey(metric)).Select(r => r.Metrics[metric]).ToList();
            if (values.Count > 0) summary.Add(MetricSummary.Of(metric, values));
        }
        var popularity = new long[runs.Max(r => r.RecommendedPopularity.Counts.Length)];
        foreach (var run in runs)
            for (int b = 0; b < run.RecommendedPopularity.Counts.Length; b++) popularity[b] += run.RecommendedPopularity.Counts[b];
        return new ModelEvaluation(name, summary, MetricCurves.Mean(runs.ConvertAll(r => r.Curves)), new PopularityHistogram(popularity), runs);
    }

    /// <summary>Passes a trainer's progress on as this run's, synchronously.</summary>
    private sealed class TrainingRelay(IProgress<EvaluationProgress> progress, int seed, int run, int runs, string model)
        : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) =>
            progress.Report(new EvaluationProgress(seed, run, runs, model, EvaluationStage.Fit, value.Iteration, value.Iterations, value));
    }
}
