using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Embeddings;
using Earworm.Learning.Factorization;
using Earworm.Learning.Hybrid;
using Earworm.Learning.Neighbours;

namespace Earworm.App.Training;

/// <summary>
/// The hyper-parameters of a collaborative-filtering model as `train cf` and `evaluate` take them; a null leaves the
/// model's own default (below). One place, so a model trained and a model evaluated are the same model.
/// </summary>
/// <remarks>
/// Defaults: ALS with the defaults that suit the data (<see cref="AlsDataDefaults"/>, set by <see cref="ForData"/>):
/// on play counts log confidence 1 + α·log(1 + r), α 1, λ 10 — log scaling keeps one obsessive listen from drowning the
/// rest — and on binary data (every count 1) linear confidence with α 5 and λ 30, both chosen by validation on HetRec
/// Last.fm 2K; BPR with step
/// 0.05, λ 0.01, 10 × iterations epochs; track2vec with gensim's defaults (window 5, min-count 5) but 50 epochs (a
/// listening catalog is small beside a text corpus) and the dimensions of --factors, and over users' item sets (no
/// order) the window of the whole set; item-kNN with BM25 and 20 neighbours.
/// </remarks>
public sealed record CfSettings
{
    public static IReadOnlyList<string> Models { get; } = ["als", "bpr", "track2vec", "itemknn", "hybrid"];

    public string Model { get; init; } = "als";
    public int Factors { get; init; } = 64;
    public int Iterations { get; init; } = 15;
    public int? Epochs { get; init; }
    public float? Alpha { get; init; }
    public float? Regularization { get; init; }
    /// <summary>ALS confidence scaling, "log" or "linear"; null leaves it to <see cref="AlsDefaults"/>.</summary>
    public string? Scaling { get; init; }
    public float? LearningRate { get; init; }
    public int Window { get; init; } = 5;
    public int MinCount { get; init; } = 5;
    public double SessionGapMinutes { get; init; } = 30;
    public int Neighbours { get; init; } = 20;
    public string Similarity { get; init; } = "bm25";
    /// <summary>Hybrid: "warp" or "bpr"; null: WARP.</summary>
    public string? Loss { get; init; }
    /// <summary>Hybrid: the chance a step leaves a tagged item's identity out; null: <see cref="HybridOptions.IdentityDropout"/>.</summary>
    public float? IdentityDropout { get; init; }
    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>What ALS takes for the scaling, α and λ left null: the play-count defaults unless <see cref="ForData"/>
    /// found binary data.</summary>
    public AlsDataDefaults AlsDefaults { get; init; } = AlsDataDefaults.PlayCounts;

    /// <summary>The search that chose this model's ALS values (<see cref="CfTuning.Key"/>), recorded in the version; null when
    /// none did.</summary>
    public string? Tuning { get; init; }

    /// <summary>True when ALS takes at least one of its scaling, α and λ from <see cref="AlsDefaults"/>.</summary>
    public bool UsesAlsDefaults => Scaling is null || Alpha is null || Regularization is null;

    /// <summary>These settings with the ALS defaults that suit <paramref name="userItems"/> (binary or play counts).</summary>
    public CfSettings ForData(InteractionMatrix userItems) => this with { AlsDefaults = AlsDataDefaults.For(userItems) };

    /// <summary>These settings with the values a search chose for ALS.</summary>
    public CfSettings WithTuned(AlsSearchRow chosen, string tuningKey)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        return this with
        {
            Scaling = chosen.Scaling, Alpha = chosen.Alpha, Regularization = chosen.Regularization, Factors = chosen.Factors,
            Iterations = chosen.Iterations, Tuning = tuningKey,
        };
    }

    /// <summary>The space a trained model fills: cf (ALS, BPR), track2vec, itemknn (no vectors).</summary>
    public string Space => Model switch
    {
        "track2vec" => "track2vec",
        "itemknn" => "itemknn",
        _ => "cf",
    };

    public TimeSpan SessionGap => TimeSpan.FromMinutes(SessionGapMinutes);

    public AlsOptions Als() => new()
    {
        Factors = Factors,
        Iterations = Iterations,
        Alpha = Alpha ?? AlsDefaults.Alpha,
        Regularization = Regularization ?? AlsDefaults.Regularization,
        Scaling = Scaling is null ? AlsDefaults.Scaling : AlsGrid.ParseScaling(Scaling),
        Seed = Seed,
        Threads = Threads,
        CalculateTrainingLoss = true,
    };

    public BprOptions Bpr() => new()
    {
        Factors = Factors,
        Epochs = Epochs ?? 10 * Iterations,
        LearningRate = LearningRate ?? 0.05f,
        Regularization = Regularization ?? 0.01f,
        Seed = Seed,
        Threads = Threads,
    };

    /// <summary>The hybrid (LightFM-style) factorisation over interactions and item tags: WARP with Adagrad, step 0.025,
    /// 100 epochs (<see cref="HybridOptions"/>'s defaults unless given).</summary>
    public HybridOptions Hybrid() => new()
    {
        Factors = Factors,
        Epochs = Epochs ?? HybridOptions.Default.Epochs,
        LearningRate = LearningRate ?? HybridOptions.Default.LearningRate,
        Regularization = Regularization ?? HybridOptions.Default.Regularization,
        Loss = Loss switch
        {
            null or "warp" => HybridLoss.Warp,
            "bpr" => HybridLoss.Bpr,
            _ => throw new UsageException($"unknown loss '{Loss}': use warp or bpr"),
        },
        IdentityDropout = IdentityDropout ?? HybridOptions.Default.IdentityDropout,
        Seed = Seed,
        Threads = Threads,
    };

    public Track2VecOptions Track2Vec() => new()
    {
        Dimensions = Factors,
        Epochs = Epochs ?? 50,
        Window = Window,
        MinCount = MinCount,
        LearningRate = LearningRate ?? 0.025f,
        Seed = Seed,
        Threads = Threads,
    };

    public ItemKnnOptions ItemKnn() => new()
    {
        Neighbours = Neighbours,
        Similarity = Similarity switch
        {
            "bm25" => ItemSimilarity.Bm25,
            "cosine" => ItemSimilarity.Cosine,
            _ => throw new UsageException($"unknown similarity '{Similarity}': use bm25 or cosine"),
        },
        Threads = Threads,
    };

    /// <summary>Checks every value now (a bad one is a usage error before any work).</summary>
    public CfSettings Validated()
    {
        if (!Models.Contains(Model)) throw new UsageException($"unknown model '{Model}': use {string.Join(", ", Models)}");
        if (!(SessionGapMinutes > 0)) throw new UsageException($"--session-gap must be positive minutes, got {SessionGapMinutes}");
        try
        {
            Als().Validate();
            Bpr().Validate();
            Hybrid().Validate();
            Track2Vec().Validate();
            ItemKnn().Validate();
        }
        catch (OptionOutOfRangeException e) when (OptionOf.TryGetValue(e.Option, out var option))
        {
            // the options records name their properties (LearningRate): said by the options a person typed
            throw new UsageException($"{option} {e.Rule}");
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e);
        }
        return this;
    }

    private static readonly Dictionary<string, string> OptionOf = new(StringComparer.Ordinal)
    {
        ["Factors"] = "--factors", ["Dimensions"] = "--factors", ["Iterations"] = "--iterations", ["Epochs"] = "--epochs",
        ["Alpha"] = "--alpha", ["Regularization"] = "--regularization", ["LearningRate"] = "--learning-rate", ["Window"] = "--window",
        ["MinCount"] = "--min-count", ["IdentityDropout"] = "--identity-dropout", ["Neighbours"] = "--neighbours", ["Threads"] = "--threads",
    };

    /// <summary>What defines the trained model, as JSON: the model's name, its whole options record (every option, so a
    /// changed default can never leave a stale model "up to date") but for the ones that say how fast, not what
    /// (threads, the training-loss report), and for track2vec the session gap its sequences are cut at. Recorded in the
    /// catalog and hashed into the model's version.</summary>
    public string ParamsJson() => JsonSerializer.Serialize(Model switch
    {
        "als" => (object)new Spec<AlsOptions>(Model, Als() with { Threads = 0, CalculateTrainingLoss = false }, Tuning: Tuning),
        "bpr" => new Spec<BprOptions>(Model, Bpr() with { Threads = 0 }),
        "hybrid" => new Spec<HybridOptions>(Model, Hybrid() with { Threads = 0 }),
        "track2vec" => new Spec<Track2VecOptions>(Model, Track2Vec() with { Threads = 0 }, SessionGapMinutes),
        _ => new Spec<ItemKnnOptions>(Model, ItemKnn() with { Threads = 0 }),
    }, SpecJson);

    private sealed record Spec<T>(string Model, T Options, double? SessionGapMinutes = null, string? Tuning = null);

    private static readonly JsonSerializerOptions SpecJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>A trainer for the evaluation harness (the named model; pop and random too), seeded with <paramref name="seed"/>.</summary>
    /// <param name="features">the items' tags, for the hybrid model (null: none, and asking for it is an error).</param>
    public static IRecommenderTrainer EvaluationTrainer(string name, CfSettings settings, int seed,
        Func<Track2VecOptions, IRecommenderTrainer>? track2vec = null, ItemFeatures? features = null)
    {
        var s = settings with { Seed = seed };
        return name switch
        {
            "als" => new AlsTrainer(s.Als() with { CalculateTrainingLoss = false }),
            "bpr" => new BprTrainer(s.Bpr()),
            "hybrid" => new HybridTrainer(features ?? throw new UsageException(
                "the hybrid model learns from the items' tags and the data has none: a Last.fm 2K folder with tags.dat and user_taggedartists.dat, " +
                "or a catalog with imported tags (`earworm import lastfm-2k`, `earworm import tags`)"), s.Hybrid()),
            "track2vec" => track2vec?.Invoke(s.Track2Vec()) ?? new Track2VecTrainer(s.Track2Vec()),
            "itemknn" => new ItemKnnTrainer(s.ItemKnn()),
            "itemknn-cosine" => new ItemKnnTrainer(s.ItemKnn() with { Similarity = ItemSimilarity.Cosine }),
            "itemknn-bm25" => new ItemKnnTrainer(s.ItemKnn() with { Similarity = ItemSimilarity.Bm25 }),
            "pop" => new PopularityTrainer(),
            "random" => new RandomTrainer(seed),
            _ => throw new UsageException($"unknown model '{name}': use als, als-tuned, bpr, hybrid, itemknn, itemknn-cosine, track2vec, pop or random"),
        };
    }

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
