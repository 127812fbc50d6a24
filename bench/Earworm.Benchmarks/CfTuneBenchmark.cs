using System.Diagnostics;
using System.Globalization;
using System.Text;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Factorization;

namespace Earworm.Benchmarks;

/// <summary>
/// How good the tuned ALS of <c>train cf --tune</c> / <c>evaluate --tune</c> is, on HetRec Last.fm 2K (optionally with
/// every count set to 1), warm protocol as <c>evaluate</c> runs it (seeds 1..n, 20 % per user held out, NDCG@10):
/// for each seed, the search on a validation split of the training part picks a configuration; the <b>oracle</b>
/// fits every configuration of the same grid on the training part and measures it on the test part, and keeps the
/// best — a bound no honest tuner can exceed on average, which only a benchmark may look at. Beside them: the untuned
/// defaults (play-count and binary ones, and the play-count defaults before the search chose new ones) and, on binarised
/// data, ALS with benfred/implicit 0.4.8's defaults (100 factors, λ 0.01, 15 iterations, confidence = the value
/// itself, which on a 0/1 matrix is Earworm's linear scaling with α 0).
/// </summary>
internal static class CfTuneBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var path = a.Get("--dataset") ?? throw new ArgumentException("--dataset DIR is required (a HetRec Last.fm 2K folder or its user_artists.dat)");
        bool binarise = argv.Contains("--binarise");
        int seeds = a.Int("--seeds", 3), threads = a.Int("--threads", 2), folds = a.Int("--folds", AlsTuningOptions.DefaultFolds), k = 10;
        var file = Directory.Exists(path) ? Path.Combine(path, "user_artists.dat") : path;
        var data = LastFmUserArtists.ReadFile(file).Dataset;
        if (a.Get("--users") is { } users) data = data.FirstUsers(int.Parse(users, CultureInfo.InvariantCulture));
        if (binarise)
            data = new InteractionDataset(data.Name + " (binarised)", data.UserCount, data.ItemCount, [.. data.Interactions.Select(x => x with { Count = 1 })]);
        var basis = new AlsOptions { Threads = threads, ConjugateGradientSteps = 3 };
        var grid = a.Get("--grid") is { } spec ? AlsGrid.Parse(spec, AlsGrid.Default(binarise)) : null;
        var tuning = new AlsTuningOptions { Grid = grid, Folds = folds, K = k, ValidationFraction = a.Double("--validation-fraction", AlsTuningOptions.DefaultValidationFraction) };
        var references = new List<(string Name, AlsOptions Options)>
        {
            ("default for play counts (" + AlsDataDefaults.PlayCounts.Values + ", 64 factors)", Defaults(basis, AlsDataDefaults.PlayCounts)),
            ("default for binary data (" + AlsDataDefaults.Binary.Values + ", 64 factors)", Defaults(basis, AlsDataDefaults.Binary)),
            ("former default (log α 10 λ 0.05, 64 factors)", basis with { Scaling = ConfidenceScaling.Log, Alpha = 10f, Regularization = 0.05f }),
        };
        // implicit 0.4.8's confidence is the value itself: on a 0/1 matrix that is c = 1 + 0·r, on counts no linear form of Earworm's
        if (binarise)
            references.Add(("implicit 0.4.8 defaults (100 factors, λ 0.01, c = value = 1)", basis with { Factors = 100, Regularization = 0.01f, Scaling = ConfidenceScaling.Linear, Alpha = 0f }));
        Console.WriteLine($"cftune benchmark: {data.Name}, {data.UserCount} users × {data.ItemCount} items, {data.Interactions.Count} interactions; " +
                          $"warm protocol, seeds 1–{seeds}, NDCG@{k}; {threads} threads; load average {InteractionData.LoadAverage()}");

        var tuned = new List<double>();
        var oracle = new List<double>();
        var referenceScores = references.Select(_ => new List<double>()).ToArray();
        var searchSeconds = new List<double>();
        var report = new StringBuilder();
        for (int seed = 1; seed <= seeds; seed++)
        {
            var split = EvaluationProtocol.Warm.Split(data, seed);
            var clock = Stopwatch.StartNew();
            var search = AlsSearch.Run(split.TrainMatrix, basis with { Seed = seed }, tuning with { Seed = seed });
            searchSeconds.Add(clock.Elapsed.TotalSeconds);
            var test = search.Rows.Select(r => AlsSearch.Ndcg(r.Apply(basis with { Seed = seed }), split, k, seed)).ToList();
            int best = test.IndexOf(test.Max());
            tuned.Add(test[search.Chosen]);
            oracle.Add(test[best]);
            for (int r = 0; r < references.Count; r++) referenceScores[r].Add(AlsSearch.Ndcg(references[r].Options with { Seed = seed }, split, k, seed));

            report.AppendLine(Inv($"\nseed {seed}: search {searchSeconds[^1]:0.0} s ({search.Grid}); validation: {search.Validation}"));
            report.AppendLine(Inv($"| configuration | validation NDCG@{k} | test NDCG@{k} (oracle) | search seconds |"));
            report.AppendLine("| --- | ---: | ---: | ---: |");
            for (int i = 0; i < search.Rows.Count; i++)
            {
                var row = search.Rows[i];
                string marks = (i == search.Chosen ? " **tuned**" : "") + (i == best ? " *oracle*" : "");
                report.AppendLine(Inv($"| {row.Label}{marks} | {row.ValidationNdcg:0.0000} | {test[i]:0.0000} | {row.Seconds:0.0} |"));
            }
            Console.WriteLine(Inv($"  seed {seed}: tuned {search.Best.Label}: {test[search.Chosen]:0.0000}; oracle {search.Rows[best].Label}: {test[best]:0.0000}; search {searchSeconds[^1]:0.0} s"));
        }

        Console.WriteLine(Inv($"\n| ALS on {data.Name}, NDCG@{k}, mean ± std over {seeds} seeds | NDCG@{k} | vs oracle |"));
        Console.WriteLine("| --- | ---: | ---: |");
        double o = oracle.Average();
        Console.WriteLine(Inv($"| oracle: the grid's best on the test split | {Summary(oracle)} | 100.0 % |"));
        Console.WriteLine(Inv($"| **tuned** (validation split of the training part) | {Summary(tuned)} | {100 * tuned.Average() / o:0.0} % |"));
        for (int r = 0; r < references.Count; r++)
            Console.WriteLine(Inv($"| {references[r].Name} | {Summary(referenceScores[r])} | {100 * referenceScores[r].Average() / o:0.0} % |"));
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"\nsearch time per seed: {string.Join(", ", searchSeconds.Select(s => s.ToString("0.0", c)))} s; " +
                          $"tuned / oracle per seed: {string.Join(", ", tuned.Zip(oracle, (t, b) => (t / b).ToString("0.000", c)))}");
        Console.WriteLine(report);
        return 0;
    }

    private static AlsOptions Defaults(AlsOptions basis, AlsDataDefaults d) =>
        basis with { Scaling = d.Scaling, Alpha = d.Alpha, Regularization = d.Regularization, Factors = 64, Iterations = 15 };

    private static string Summary(List<double> xs)
    {
        var s = MetricSummary.Of(MetricNames.Ndcg, xs);
        return string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.0000} ± {s.Std:0.0000}");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
