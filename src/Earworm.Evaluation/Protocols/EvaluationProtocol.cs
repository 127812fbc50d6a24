using System.Globalization;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Splitting;

namespace Earworm.Evaluation.Protocols;

/// <summary>The four ways Earworm holds data out.</summary>
public enum ProtocolKind
{
    /// <summary>Per-user random holdout (<see cref="EvaluationProtocol.TestFraction"/> of each user's items).</summary>
    Warm,

    /// <summary>Leave-one-out: one random item per user with at least two.</summary>
    LeaveOneOut,

    /// <summary>The last <see cref="EvaluationProtocol.HeldOutPerUser"/> items of each user by time.</summary>
    Temporal,

    /// <summary>A fraction of items removed from training; models rank only those items.</summary>
    ColdStart,
}

/// <summary>
/// Which split a protocol makes and which items models rank. Use the presets (<see cref="Warm"/>,
/// <see cref="LeaveOneOut"/>, <see cref="Temporal"/>, <see cref="ColdStart"/>) or <see cref="Parse"/>; the
/// parameters of the preset's kind can be changed with <c>with</c>, then <see cref="Validate"/>.
/// </summary>
public sealed record EvaluationProtocol(ProtocolKind Kind)
{
    /// <summary>Warm: each user's share of items held out (default 0.2, an 80/20 split).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Temporal: the number of most recent items held out per user (default 1).</summary>
    public int HeldOutPerUser { get; init; } = 1;

    /// <summary>Cold start: the share of items (with interactions) removed from training (default 0.1).</summary>
    public double ColdItemFraction { get; init; } = 0.1;

    public static EvaluationProtocol Warm { get; } = new(ProtocolKind.Warm);

    public static EvaluationProtocol LeaveOneOut { get; } = new(ProtocolKind.LeaveOneOut);

    public static EvaluationProtocol Temporal { get; } = new(ProtocolKind.Temporal);

    public static EvaluationProtocol ColdStart { get; } = new(ProtocolKind.ColdStart);

    /// <summary>The names <see cref="Parse"/> accepts, as the command line spells them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["warm", "leave-one-out", "temporal", "cold-start"];

    /// <summary>"warm", "leave-one-out", "temporal" or "cold-start".</summary>
    public string Name => Names[(int)Kind];

    /// <summary>True for cold start: candidates are the cold items only (a model is asked to rank items it never saw).</summary>
    public bool RanksColdItemsOnly => Kind == ProtocolKind.ColdStart;

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="UsageException">not one of <see cref="Names"/>.</exception>
    public static EvaluationProtocol Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "warm" => Warm,
            "leave-one-out" or "loo" => LeaveOneOut,
            "temporal" => Temporal,
            "cold-start" or "cold" => ColdStart,
            _ => throw new UsageException($"unknown protocol \"{name}\": expected one of {string.Join(", ", Names)}"),
        };
    }

    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown protocol kind");
        if (!(TestFraction > 0 && TestFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "must lie strictly between 0 and 1");
        ArgumentOutOfRangeException.ThrowIfLessThan(HeldOutPerUser, 1);
        if (!(ColdItemFraction > 0 && ColdItemFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ColdItemFraction), ColdItemFraction, "must lie strictly between 0 and 1");
    }

    /// <summary>Splits <paramref name="data"/> as this protocol does for one seed (the temporal split ignores it).</summary>
    public DataSplit Split(InteractionDataset data, int seed) => Kind switch
    {
        ProtocolKind.Warm => Splits.PerUserHoldout(data, TestFraction, seed),
        ProtocolKind.LeaveOneOut => Splits.LeaveKOut(data, 1, seed),
        ProtocolKind.Temporal => Splits.Temporal(data, HeldOutPerUser),
        ProtocolKind.ColdStart => Splits.ColdStartItems(data, ColdItemFraction, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown protocol kind"),
    };

    /// <summary>The protocol in words, as a report prints it above its table.</summary>
    public string Describe(EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = CultureInfo.InvariantCulture;
        string seeds = options.Seeds == 1
            ? string.Create(c, $"one split (seed {options.FirstSeed})")
            : string.Create(c, $"{options.Seeds} splits (seeds {options.FirstSeed}–{options.FirstSeed + options.Seeds - 1})");
        string split = Kind switch
        {
            ProtocolKind.Warm => string.Create(c,
                $"Warm start, per-user random holdout: for each of {seeds}, {TestFraction * 100:0.##}% of each user's items (rounded half up, always keeping at least one for training) are held out at random."),
            ProtocolKind.LeaveOneOut => string.Create(c,
                $"Leave-one-out: for each of {seeds}, one random item of every user with at least two items is held out."),
            ProtocolKind.Temporal => string.Create(c,
                $"Temporal: the {HeldOutPerUser} most recent {Counted.Noun(HeldOutPerUser, "item")} (by first play) of every user with at least {HeldOutPerUser + 1} items {Counted.Noun(HeldOutPerUser, "is", "are")} held out; the split has no randomness, so the {Counted.Of(options.Seeds, "run")} differ only by the models' own randomness."),
            ProtocolKind.ColdStart => string.Create(c,
                $"Cold-start items: for each of {seeds}, {ColdItemFraction * 100:0.##}% of the items with interactions are drawn at random and removed from training with all their interactions; the test set is those items' interactions by users who keep training data."),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown protocol kind"),
        };
        string candidates = RanksColdItemsOnly
            ? "Each model is fitted on the training interactions, then ranks, for every test user, the cold items only, none of which it saw in training"
            : "Each model is fitted on the training interactions, then ranks, for every test user, the whole catalog minus the user's training items";
        string depth = options.RankingDepth is int d
            ? string.Create(c, $" (the top {d}; AUC treats the candidates below them as tied)")
            : " (the full ranking, so AUC is exact)";
        string ties = options.BreakTiesAtRandom ? "; items a model scores equally are put in random order" : "";
        return split + " " + candidates + depth + ties + string.Create(c,
            $". Metrics compare the top {options.K} with the user's held-out items (binary relevance), are averaged over test users, then reported as mean ± sample standard deviation over the runs. Popularity is an item's number of training users.");
    }
}
