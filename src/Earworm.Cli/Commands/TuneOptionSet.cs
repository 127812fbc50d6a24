using System.CommandLine;
using Earworm.Evaluation.Tuning;

namespace Earworm.Cli.Commands;

/// <summary>
/// The options of an ALS hyper-parameter search, shared by `train cf` and `evaluate` (same names, defaults and help);
/// each verb makes its own set (an option belongs to one command).
/// </summary>
internal sealed class TuneOptionSet
{
    public Option<bool> Tune { get; } = new("--tune")
    {
        Description = "Search ALS's confidence scaling, α, λ and factors on a validation split cut from the training data " +
                      "(20% of each user's items; never an evaluation's test items), print the search and use the best",
    };

    public Option<string?> Grid { get; } = new("--tune-grid")
    {
        Description = "What --tune searches, replacing the default grid's dimensions named: KEY=V,V;… with keys scaling (log, linear), " +
                      "alpha, regularization, factors, iterations, e.g. \"alpha=2,5,10;factors=32,64\". Default on binary data (every count 1): " +
                      DescribeDefault(true) + "; on play counts: " + DescribeDefault(false),
        HelpName = "SPEC",
    };

    public Option<int> Folds { get; } = new("--tune-folds")
    {
        Description = "Validation splits each configuration is measured on (their mean decides; the search takes this many times longer)",
        DefaultValueFactory = _ => 1,
    };

    public IEnumerable<Option> All => [Tune, Grid, Folds];

    /// <summary>The search the options ask for, null without --tune. A bad grid is a usage error now, before any work.</summary>
    public Request? Read(ParseResult parse)
    {
        if (!parse.GetValue(Tune))
        {
            if (parse.GetResult(Grid) is { Implicit: false } || parse.GetResult(Folds) is { Implicit: false })
                throw new UsageException("--tune-grid and --tune-folds go with --tune");
            return null;
        }
        var spec = parse.GetValue(Grid);
        if (spec is not null) AlsGrid.Parse(spec, AlsGrid.Default(binary: false));
        int folds = parse.GetValue(Folds);
        if (folds < 1) throw new UsageException($"--tune-folds must be at least 1, got {folds}");
        return new Request(spec, folds);
    }

    /// <summary>A search as the command line asked for it; the grid is resolved once the data (binary or not) is known.</summary>
    internal sealed record Request(string? GridSpec, int Folds)
    {
        public AlsTuningOptions Options(bool binary, int seed) => new()
        {
            Grid = GridSpec is null ? null : AlsGrid.Parse(GridSpec, AlsGrid.Default(binary)),
            Folds = Folds,
            Seed = seed,
        };
    }

    private static string DescribeDefault(bool binary) => AlsGrid.Default(binary).Describe();
}
