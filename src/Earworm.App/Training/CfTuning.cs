using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Earworm.Evaluation.Tuning;

namespace Earworm.App.Training;

/// <summary>
/// A search of ALS's hyper-parameters as a front end asks for it (<c>train cf --tune</c>, <c>evaluate --tune</c>): the
/// grid (null: the default for the data, <see cref="AlsGrid.Default"/>), how many validation splits, and the share of
/// each user's training items each holds out (defaults: <see cref="AlsTuningOptions"/>'s).
/// </summary>
public sealed record CfTuning(string? GridSpec = null, int Folds = AlsTuningOptions.DefaultFolds,
    double ValidationFraction = AlsTuningOptions.DefaultValidationFraction)
{
    /// <summary>The search's options for data that is binary or not; validation splits seeded from <paramref name="seed"/>.</summary>
    /// <exception cref="UsageException">a bad grid.</exception>
    public AlsTuningOptions Options(bool binary, int seed) => new()
    {
        Grid = Grid(binary),
        Folds = Folds,
        ValidationFraction = ValidationFraction,
        Seed = seed,
    };

    /// <summary>The grid searched on data that is binary or not.</summary>
    public AlsGrid Grid(bool binary) => GridSpec is null ? AlsGrid.Default(binary) : AlsGrid.Parse(GridSpec, AlsGrid.Default(binary));

    /// <summary>Checks every value now (a bad one is a usage error before any work).</summary>
    public CfTuning Validated()
    {
        if (Folds < 1) throw new UsageException($"--tune-folds must be at least 1, got {Folds}");
        try
        {
            Options(binary: false, seed: 0).Validate();
            Options(binary: true, seed: 0).Validate();
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e, "--tune: ");
        }
        return this;
    }

    /// <summary>What identifies a search of <paramref name="settings"/> (before tuning) on data that is binary or not: a hash
    /// of the settings (their seed included), the grid and the validation. A model trained from the same search on the same data is
    /// the same model, so <c>train cf --tune</c> recognises it without searching again.</summary>
    public string Key(CfSettings settings, bool binary)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var g = Grid(binary);
        static string Values<T>(IEnumerable<T> xs) => string.Join(",", xs.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x}")));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{(settings with { Tuning = null }).ParamsJson()}|{Values(g.Scalings)}|{Values(g.Alphas)}|{Values(g.Regularizations)}|{Values(g.Factors)}|{Values(g.Iterations)}|folds {Folds}|fraction {ValidationFraction:R}");
        return "als-search-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
