using System.Globalization;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tuning;

/// <summary>
/// The ALS hyper-parameters a search tries: every combination of confidence scaling, α, λ, factors and iterations
/// (a full grid, so the same configurations can be measured again on another split and compared one by one).
/// <see cref="Default"/> is sized to run in a few minutes on two cores on Last.fm 2K; <see cref="Parse"/> changes any
/// dimension.
/// </summary>
public sealed record AlsGrid
{
    /// <summary>Refuses grids larger than this: a typo such as a hundred α values should not start an all-day search.</summary>
    public const int MaxConfigurations = 1000;

    public IReadOnlyList<ConfidenceScaling> Scalings { get; init; } = [ConfidenceScaling.Log, ConfidenceScaling.Linear];

    public IReadOnlyList<float> Alphas { get; init; } = [0.1f, 1f, 3f, 10f];

    public IReadOnlyList<float> Regularizations { get; init; } = [1f, 10f, 30f];

    public IReadOnlyList<int> Factors { get; init; } = [32, 64];

    public IReadOnlyList<int> Iterations { get; init; } = [15];

    /// <summary>Configurations in the grid.</summary>
    public int Count => Scalings.Count * Alphas.Count * Regularizations.Count * Factors.Count * Iterations.Count;

    /// <summary>
    /// The grid searched when none is given, each about two minutes on two cores on Last.fm 2K (1 892 users × 17 632
    /// items, 93 k pairs) with the default two validation splits. On play counts: log and linear scaling, α from 0.1
    /// (linear's range on counts in the hundreds) to 10 (log's), λ 1–30, 32 and 64 factors (48 configurations). On binary
    /// data (every count 1) log and linear scaling differ only by a factor log 2 on α, so only linear is searched, over
    /// α 2–20, λ 1–30 and 16–64 factors (36): the region where validation NDCG@10 peaked in a wider search on Last.fm 2K
    /// binarised (α 0–50, λ 0.05–100, 8–128 factors; bench/README.md).
    /// </summary>
    public static AlsGrid Default(bool binary) => binary
        ? new AlsGrid { Scalings = [ConfidenceScaling.Linear], Alphas = [2f, 5f, 10f, 20f], Factors = [16, 32, 64] }
        : new AlsGrid();

    /// <summary>
    /// <paramref name="basis"/> with the dimensions <paramref name="spec"/> names replaced: <c>KEY=V,V,…</c> separated by
    /// <c>;</c>, keys <c>scaling</c> (log, linear), <c>alpha</c>, <c>regularization</c> (or <c>lambda</c>), <c>factors</c>,
    /// <c>iterations</c>. Example: <c>alpha=0.5,1,2;factors=64</c>.
    /// </summary>
    /// <exception cref="UsageException">an unknown key, a value that does not parse, or an invalid grid.</exception>
    public static AlsGrid Parse(string spec, AlsGrid basis)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(basis);
        var grid = basis;
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new UsageException($"grid part \"{part}\" is not KEY=VALUE,VALUE… (keys: scaling, alpha, regularization, factors, iterations)");
            string key = part[..eq].Trim().ToLowerInvariant();
            var values = part[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0) throw new UsageException($"grid part \"{part}\" lists no value");
            grid = key switch
            {
                "scaling" => grid with { Scalings = [.. values.Select(ParseScaling).Distinct()] },
                "alpha" => grid with { Alphas = [.. values.Select(v => ParseFloat(key, v)).Distinct()] },
                "regularization" or "lambda" => grid with { Regularizations = [.. values.Select(v => ParseFloat(key, v)).Distinct()] },
                "factors" => grid with { Factors = [.. values.Select(v => ParseInt(key, v)).Distinct()] },
                "iterations" => grid with { Iterations = [.. values.Select(v => ParseInt(key, v)).Distinct()] },
                _ => throw new UsageException($"unknown grid key \"{key}\": use scaling, alpha, regularization, factors or iterations"),
            };
        }
        try
        {
            grid.Validate();
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e, "grid: ");
        }
        return grid;
    }

    /// <summary>Every configuration, <paramref name="basis"/> giving what the grid does not vary (seed, solver, threads…),
    /// in a fixed order: scaling, factors, iterations, λ, then α fastest. A search that ties keeps the earliest.</summary>
    public IEnumerable<AlsOptions> Configurations(AlsOptions basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        foreach (var scaling in Scalings)
            foreach (var factors in Factors)
                foreach (var iterations in Iterations)
                    foreach (var regularization in Regularizations)
                        foreach (var alpha in Alphas)
                            yield return basis with
                            {
                                Scaling = scaling, Factors = factors, Iterations = iterations, Regularization = regularization, Alpha = alpha,
                            };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem: an empty dimension, a value ALS refuses,
    /// or more than <see cref="MaxConfigurations"/> configurations.</summary>
    public void Validate()
    {
        if (Scalings.Count == 0 || Alphas.Count == 0 || Regularizations.Count == 0 || Factors.Count == 0 || Iterations.Count == 0)
            throw new ArgumentException("every dimension needs at least one value");
        if (Count > MaxConfigurations)
            throw new ArgumentException($"{Count} configurations is more than {MaxConfigurations}: search fewer values");
        foreach (var options in Configurations(AlsOptions.Default)) options.Validate();
    }

    /// <summary>"scaling linear; α 0, 0.5, 1; λ 0.05, 1; factors 32, 64, 128; iterations 15 (30 configurations)".</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        static string Join<T>(IEnumerable<T> xs, Func<T, string> f) => string.Join(", ", xs.Select(f));
        return $"scaling {Join(Scalings, ScalingName)}; α {Join(Alphas, a => a.ToString("0.###", c))}; " +
               $"λ {Join(Regularizations, l => l.ToString("0.####", c))}; factors {Join(Factors, f => f.ToString(c))}; " +
               $"iterations {Join(Iterations, i => i.ToString(c))} ({Counted.Of(Count, "configuration")})";
    }

    /// <summary>"log" or "linear", as the command line spells them.</summary>
    public static string ScalingName(ConfidenceScaling scaling) => scaling == ConfidenceScaling.Log ? "log" : "linear";

    /// <summary>"log" or "linear" (case-insensitive).</summary>
    /// <exception cref="UsageException">anything else.</exception>
    public static ConfidenceScaling ParseScaling(string name) => name.Trim().ToLowerInvariant() switch
    {
        "log" => ConfidenceScaling.Log,
        "linear" => ConfidenceScaling.Linear,
        _ => throw new UsageException($"unknown confidence scaling '{name}': use log or linear"),
    };

    private static float ParseFloat(string key, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && float.IsFinite(x)
            ? x : throw new UsageException($"grid {key}: \"{value}\" is not a number");

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)
            ? x : throw new UsageException($"grid {key}: \"{value}\" is not a whole number");
}
