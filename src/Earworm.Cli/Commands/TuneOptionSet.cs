using System.CommandLine;
using Earworm.App.Training;
using Earworm.Evaluation.Tuning;

namespace Earworm.Cli.Commands;

/// <summary>
/// The options of an ALS hyper-parameter search, shared by `train cf` and `evaluate` (same names, defaults and help);
/// each verb makes its own set (an option belongs to one command).
/// </summary>
internal sealed class TuneOptionSet
{
    private static readonly CfTuning Defaults = new();

    public Option<bool> Tune { get; } = new("--tune")
    {
        Description = "Search ALS's confidence scaling, α, λ and factors: each configuration is fitted on part of the training data and " +
                      FormattableString.Invariant($"measured by NDCG@10 on the rest ({Defaults.Folds} validation splits of {Defaults.ValidationFraction * 100:0.##}% of each listener's items; ") +
                      "never an evaluation's test items); the search is printed and the best configuration used",
    };

    public Option<string?> Grid { get; } = new("--tune-grid")
    {
        Description = "What --tune searches, replacing the default grid's dimensions named: KEY=V,V;… with keys scaling (log, linear), " +
                      "alpha, regularization, factors, iterations, e.g. \"alpha=2,5,10;factors=32,64\". Default on binary data (every count 1): " +
                      AlsGrid.Default(true).Describe() + "; on play counts: " + AlsGrid.Default(false).Describe(),
        HelpName = "SPEC",
    };

    public Option<int> Folds { get; } = new("--tune-folds")
    {
        Description = "Validation splits each configuration is measured on (their mean decides; the search takes this many times longer)",
        DefaultValueFactory = _ => Defaults.Folds,
    };

    public IEnumerable<Option> All => [Tune, Grid, Folds];

    /// <summary>The search the options ask for, null without --tune. A bad grid is a usage error now, before any work, and so
    /// is a value given to one of <paramref name="chosenBySearch"/> (the search sets them).</summary>
    public CfTuning? Read(ParseResult parse, params Option[] chosenBySearch)
    {
        if (!parse.GetValue(Tune))
        {
            if (parse.Gave(Grid) || parse.Gave(Folds))
                throw new UsageException("--tune-grid and --tune-folds go with --tune");
            return null;
        }
        foreach (var option in chosenBySearch)
            if (parse.Gave(option))
                throw new UsageException($"{option.Name} is one of the values --tune chooses: leave it out, or name the values to try in --tune-grid");
        return new CfTuning(parse.GetValue(Grid), parse.GetValue(Folds)).Validated();
    }
}
