using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Fakes;

/// <summary>A model that ranks items by a list given per user (best first), the rest unlisted, with decreasing scores
/// or, when <paramref name="tiedScores"/>, all scores equal. For the oracle, tie and broken-model tests.</summary>
internal sealed class FixedRankingTrainer(string name, Func<int, int[]> ranking, bool honourContract = true, bool tiedScores = false) : IRecommenderTrainer
{
    public string Name => name;

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        new Model(name, userItems.Rows, userItems.Columns, ranking, honourContract, tiedScores);

    private sealed class Model(string name, int users, int items, Func<int, int[]> ranking, bool honourContract, bool tiedScores) : IRecommenderModel
    {
        public string Name => name;
        public int UserCount => users;
        public int ItemCount => items;

        public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
        {
            var list = ranking(user).AsEnumerable();
            if (honourContract)
                list = list.Where(i => (filter?.Invoke(i) ?? true) && !(excludeSeen && userItems.Contains(user, i)));
            var ids = list.Take(count).ToArray();
            return new ScoredItems(ids, [.. ids.Select((_, r) => tiedScores ? 1f : ids.Length - r)]);
        }

        public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null) => ScoredItems.Empty;
    }
}
