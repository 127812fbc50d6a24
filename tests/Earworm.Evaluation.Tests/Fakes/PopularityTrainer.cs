using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Fakes;

/// <summary>Most-popular baseline for the tests: an item's score is its number of training users.</summary>
internal sealed class PopularityTrainer : IRecommenderTrainer
{
    public string Name => "pop";

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var scores = new float[userItems.Columns];
        for (int u = 0; u < userItems.Rows; u++)
            foreach (int item in userItems.RowIndices(u)) scores[item]++;
        progress?.Report(new TrainingProgress(Name, 1, 1, null, TimeSpan.Zero));
        return new Model(userItems.Rows, scores);
    }

    private sealed class Model(int users, float[] scores) : IRecommenderModel
    {
        public string Name => "pop";
        public int UserCount => users;
        public int ItemCount => scores.Length;

        public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null) =>
            Ranking.Top(scores, user, userItems, count, excludeSeen, filter);

        public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null) =>
            Ranking.Top(scores, 0, InteractionMatrix.FromInteractions([], 1, scores.Length), count, false, i => i != item && (filter?.Invoke(i) ?? true));
    }
}
