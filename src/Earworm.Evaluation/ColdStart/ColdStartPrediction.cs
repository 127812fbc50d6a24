using System.Globalization;
using Earworm.Evaluation.Metrics;
using Earworm.Learning;
using Earworm.Learning.Factorization;
using Earworm.Learning.Numerics;

namespace Earworm.Evaluation.ColdStart;

/// <summary>
/// The cold-start recommender of the paper: ALS on the training interactions gives user and item factors; the
/// predictor learns to map content to the unit-normalised factors of the items that have training data and
/// predicts (unit) factors for the items that have none; users are then scored against the predicted factors
/// (xᵤ · ŷᵢ). Items with training data keep their ALS factors (the cold-start protocol ranks only the others).
/// </summary>
public sealed class ColdStartFactorTrainer : IRecommenderTrainer
{
    private readonly IColdStartItemPredictor _predictor;

    public ColdStartFactorTrainer(IColdStartItemPredictor predictor, AlsOptions als, int seed)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(als);
        als.Validate();
        _predictor = predictor;
        Als = als;
        Seed = seed;
    }

    public string Name => _predictor.Name;

    public AlsOptions Als { get; }

    public int Seed { get; }

    /// <summary>The items of the last <see cref="Fit"/> that had training data (the predictor's training set) and those
    /// it predicted; for checks and reports.</summary>
    public (int[] Trained, int[] Predicted)? LastFit { get; private set; }

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        var als = new AlsTrainer(Als).Fit(userItems, progress, cancellationToken);
        var popularity = ItemPopularity.UserCounts(userItems);
        var trained = Enumerable.Range(0, userItems.Columns).Where(i => popularity[i] > 0).ToArray();
        var cold = Enumerable.Range(0, userItems.Columns).Where(i => popularity[i] == 0).ToArray();
        if (trained.Length < 2) throw new InvalidOperationException($"{Name}: {trained.Length} items with training data, need at least 2");
        var targets = trained.Select(i => VectorNorm.Unit(als.ItemFactors(i))).ToList();
        var predicted = cold.Length == 0 ? [] : _predictor.Predict(trained, targets, cold, Seed, cancellationToken);
        if (predicted.Count != cold.Length)
            throw new InvalidOperationException($"{Name} predicted {predicted.Count} vectors for {cold.Length} items");
        int k = Als.Factors;
        var items = als.ItemFactorArray();
        for (int c = 0; c < cold.Length; c++)
        {
            if (predicted[c].Length != k)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Name} predicted {predicted[c].Length} dimensions, the factors have {k}"));
            predicted[c].CopyTo(items.AsSpan(cold[c] * k, k));
        }
        LastFit = (trained, cold);
        return new NamedModel(Name, AlsModel.FromFactors(Als, als.UserFactorArray(), items));
    }
}

/// <summary>
/// The upper bound of the cold-start table: ALS trained on all interactions, held-out items included, so the
/// held-out items have their true factors (what a perfect content model would predict). It ignores the training
/// matrix it is given apart from its shape.
/// </summary>
public sealed class TrueFactorsTrainer(InteractionMatrix allInteractions, AlsOptions als) : IRecommenderTrainer
{
    public string Name => "true-factors";

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        if (userItems.Rows != allInteractions.Rows || userItems.Columns != allInteractions.Columns)
            throw new ArgumentException($"training matrix {userItems.Rows} × {userItems.Columns}, all interactions {allInteractions.Rows} × {allInteractions.Columns}");
        return new NamedModel(Name, new AlsTrainer(als).Fit(allInteractions, progress, cancellationToken));
    }
}

/// <summary>A model under another name (reports name models by their trainer).</summary>
internal sealed class NamedModel(string name, IRecommenderModel inner) : IRecommenderModel
{
    public string Name => name;
    public int UserCount => inner.UserCount;
    public int ItemCount => inner.ItemCount;

    public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null) =>
        inner.Recommend(user, userItems, count, excludeSeen, filter);

    public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null) => inner.SimilarItems(item, count, filter);

    public ScoredItems RecommendForItems(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, int count, Func<int, bool>? filter = null) =>
        inner.RecommendForItems(items, weights, count, filter);
}
