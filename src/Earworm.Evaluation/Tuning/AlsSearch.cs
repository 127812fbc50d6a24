using System.Diagnostics;
using System.Globalization;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Splitting;
using Earworm.Learning;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tuning;

/// <summary>How a hyper-parameter search validates. Defaults: the data's own grid (<see cref="AlsGrid.Default"/>), two
/// validation splits of 10 % of each user's training items, NDCG@10, seed 42.</summary>
/// <remarks>Two splits of 10 % rather than one of 20 %: a configuration fitted on 80 % of the training data favours fewer
/// factors than the final fit on all of it, and on Last.fm 2K binarised one 20 % split chose 1.2 % below the
/// test-split oracle of its grid, two 10 % splits 0.3 % (bench/README.md).</remarks>
public sealed record AlsTuningOptions
{
    public const int DefaultFolds = 2;
    public const double DefaultValidationFraction = 0.1;

    /// <summary>The configurations to try; null (default) = <see cref="AlsGrid.Default"/> for the data searched (binary or counts).</summary>
    public AlsGrid? Grid { get; init; }

    /// <summary>Each user's share of training items held out for validation (default 0.1).</summary>
    public double ValidationFraction { get; init; } = DefaultValidationFraction;

    /// <summary>Validation splits (seeds Seed, Seed + 1, …) each configuration is measured on, its score their mean
    /// (default 2; more average out the splits' noise at that many times the cost).</summary>
    public int Folds { get; init; } = DefaultFolds;

    /// <summary>The cut-off of the validation NDCG (default 10).</summary>
    public int K { get; init; } = 10;

    /// <summary>Seed of the validation splits (default 42). The models' own seed is the basis options'.</summary>
    public int Seed { get; init; } = 42;

    public void Validate()
    {
        Grid?.Validate();
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "must lie strictly between 0 and 1");
        ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(K, 1);
    }
}

/// <summary>One configuration of a search: its values, its validation NDCG@K (mean over folds) and the seconds it took
/// (fitting and ranking, every fold).</summary>
public sealed record AlsSearchRow(string Scaling, float Alpha, float Regularization, int Factors, int Iterations, double ValidationNdcg, double Seconds)
{
    public static AlsSearchRow Of(AlsOptions options, double ndcg, double seconds) =>
        new(AlsGrid.ScalingName(options.Scaling), options.Alpha, options.Regularization, options.Factors, options.Iterations, ndcg, seconds);

    /// <summary><paramref name="basis"/> with this row's values.</summary>
    public AlsOptions Apply(AlsOptions basis) => basis with
    {
        Scaling = AlsGrid.ParseScaling(Scaling), Alpha = Alpha, Regularization = Regularization, Factors = Factors, Iterations = Iterations,
    };

    /// <summary>"linear α 1 λ 0.05, 64 factors, 15 iterations: validation NDCG@10 0.1766 (3.6 s)", as a search's progress line.</summary>
    public string Line(int k) => string.Create(CultureInfo.InvariantCulture, $"{Label}: validation NDCG@{k} {ValidationNdcg:0.0000} ({Seconds:0.0} s)");

    /// <summary>"linear α 1 λ 0.05, 64 factors, 15 iterations".</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Scaling} α {Alpha:0.###} λ {Regularization:0.####}, {Factors} factors, {Iterations} iterations");
}

/// <summary>A finished search: how it validated, every configuration in grid order, and the one chosen (the highest
/// validation NDCG, the earliest on a tie).</summary>
/// <param name="Validation">the validation split in words.</param>
/// <param name="Binary">whether the searched data had every count 1 (which chose the default grid).</param>
/// <param name="SearchedPairs">the (user, item) pairs of the training matrix searched: all the search saw.</param>
/// <param name="ValidationPairs">of them, the pairs held out for validation (the first split).</param>
public sealed record AlsSearchResult(int Seed, string Validation, string Grid, int K, bool Binary, long SearchedPairs, int ValidationPairs,
    IReadOnlyList<AlsSearchRow> Rows, int Chosen)
{
    public AlsSearchRow Best => Rows[Chosen];

    public double TotalSeconds => Rows.Sum(r => r.Seconds);
}

/// <summary>
/// A grid search of ALS hyper-parameters on a validation split cut from the training data it is given (and from nothing
/// else): each user's training items are split again (<see cref="Splits.PerUserHoldout"/>), every configuration is
/// fitted on the rest and ranks the held-out ones, measured by NDCG@K exactly as <c>evaluate</c> measures (the same
/// code: <see cref="SplitMeasurement"/>, ranking depth K). The held-out test data of an evaluation never reaches it, so
/// a tuned model is measured on items it was not tuned on.
/// </summary>
public static class AlsSearch
{
    /// <summary>The validation split of <paramref name="training"/> for one seed: its training part and held-out part
    /// partition the training matrix's (user, item) pairs.</summary>
    public static DataSplit ValidationSplit(InteractionMatrix training, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        var data = new InteractionDataset("training data", training.Rows, training.Columns, [.. training.Entries()]);
        return Splits.PerUserHoldout(data, fraction, seed);
    }

    /// <summary>Measures every configuration of the grid (<paramref name="basis"/> gives everything else: seed, solver,
    /// threads) and returns them with the best one chosen. <paramref name="progress"/> hears each row as it is measured.</summary>
    public static AlsSearchResult Run(InteractionMatrix training, AlsOptions basis, AlsTuningOptions options,
        IProgress<AlsSearchRow>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        basis.Validate();
        bool binary = AlsDataDefaults.IsBinary(training);
        var grid = options.Grid ?? AlsGrid.Default(binary);
        var folds = Enumerable.Range(0, options.Folds).Select(f => ValidationSplit(training, options.ValidationFraction, options.Seed + f)).ToList();
        if (folds[0].Test.Count == 0)
            throw new UsageException("too little data to tune: no user has two items, so there is nothing to hold out for validation");
        var rows = new List<AlsSearchRow>();
        foreach (var config in grid.Configurations(basis))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            double ndcg = folds.Average(fold => Ndcg(config, fold, options.K, options.Seed, cancellationToken));
            var row = AlsSearchRow.Of(config, ndcg, clock.Elapsed.TotalSeconds);
            rows.Add(row);
            progress?.Report(row);
        }
        int chosen = 0;
        for (int i = 1; i < rows.Count; i++)
            if (rows[i].ValidationNdcg > rows[chosen].ValidationNdcg) chosen = i;
        string validation = string.Create(CultureInfo.InvariantCulture,
            $"{options.ValidationFraction * 100:0.##}% of each user's training items held out at random (at least one kept), " +
            $"{(options.Folds == 1 ? $"seed {options.Seed}" : $"{options.Folds} splits, seeds {options.Seed}–{options.Seed + options.Folds - 1}, averaged")}; " +
            $"{folds[0].TestUsers.Count:N0} validation users");
        return new AlsSearchResult(options.Seed, validation, grid.Describe(), options.K, binary, training.NonZeros, folds[0].Test.Count, rows, chosen);
    }

    /// <summary>NDCG@K of ALS with <paramref name="config"/> fitted on <paramref name="split"/>'s training part, on its
    /// held-out part (as the warm protocol measures, ranking the top K; ties broken at random by <paramref name="seed"/>).</summary>
    public static double Ndcg(AlsOptions config, DataSplit split, int k, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(split);
        var measure = new EvaluationOptions { K = k, CurveMaxK = k, RankingDepth = k, Seeds = 1, FirstSeed = seed, MaxDegreeOfParallelism = config.Threads };
        var model = new AlsTrainer(config with { CalculateTrainingLoss = false }).Fit(split.TrainMatrix, null, cancellationToken);
        var result = SplitMeasurement.Measure(model, split, EvaluationProtocol.Warm, measure, seed, 0, null, cancellationToken);
        return result.Metrics[MetricNames.Ndcg];
    }
}
