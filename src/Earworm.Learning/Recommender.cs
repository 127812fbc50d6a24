namespace Earworm.Learning;

/// <summary>Items and their scores, best first (as benfred/implicit's <c>(ids, scores)</c>).</summary>
public sealed record ScoredItems(int[] Ids, float[] Scores)
{
    public static ScoredItems Empty { get; } = new([], []);
    public int Count => Ids.Length;
}

/// <summary>Where a training run stands: iteration (or epoch) done of total, and the loss when the model computes one.</summary>
/// <param name="SampledAccuracy">for models trained on sampled (user, positive, negative) triples (BPR): the fraction
/// of the epoch's triples the model ranked correctly before updating on them, an estimate of the training AUC.</param>
/// <param name="ValidationNdcg">for the next-item networks with a validation share: the epoch's NDCG@10 on it.</param>
public sealed record TrainingProgress(string Model, int Iteration, int Iterations, double? Loss, TimeSpan Elapsed, double? SampledAccuracy = null, double? ValidationNdcg = null);

/// <summary>
/// Learns a model from a users × items matrix. Options live on the trainer (a record with documented
/// defaults, validated on construction); <see cref="Fit"/> returns a separate, immutable model.
/// </summary>
public interface IRecommenderTrainer
{
    /// <summary>Short name used on the command line and in reports: "als", "bpr", "itemknn", "pop", "random", "track2vec".</summary>
    string Name { get; }

    IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>A trained recommender: the one contract every model honours and the evaluation harness calls.</summary>
public interface IRecommenderModel
{
    string Name { get; }
    int UserCount { get; }
    int ItemCount { get; }

    /// <summary>The top <paramref name="count"/> items for <paramref name="user"/>, best first.</summary>
    /// <param name="userItems">the user's known items (a row of this matrix); excluded when <paramref name="excludeSeen"/>.</param>
    /// <param name="filter">when given, only items for which it returns true are recommended.</param>
    ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null);

    /// <summary>The <paramref name="count"/> items most similar to <paramref name="item"/>, itself excluded, best first.</summary>
    ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null);

    /// <summary>
    /// Folds in a user the model was not trained on — from the items they played and how much — and recommends for
    /// them, their items left out (benfred/implicit's <c>recalculate_user</c>, then <c>recommend</c>). A model that
    /// scores from the user's row (item-kNN, track2vec, popularity, random) scores this one row, as here; a factor
    /// model overrides it to solve the user's factors (<see cref="Factorization.MatrixFactorizationModel.FoldIn"/>).
    /// </summary>
    /// <param name="items">item ids, 0..ItemCount−1 (repeats are summed; weights ≤ 0 are ignored).</param>
    /// <param name="weights">play counts (or any positive weight) aligned with <paramref name="items"/>.</param>
    ScoredItems RecommendForItems(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, int count, Func<int, bool>? filter = null) =>
        Recommend(0, InteractionMatrix.SingleRow(items, weights, ItemCount), count, excludeSeen: true, filter);
}
