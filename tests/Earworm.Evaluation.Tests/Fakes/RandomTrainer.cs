using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Fakes;

/// <summary>Random baseline for the tests: each user gets an independent random order of the catalog, seeded by (seed, user).</summary>
internal sealed class RandomTrainer(int seed = 7) : IRecommenderTrainer
{
    public string Name => "random";

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        new Model(userItems.Rows, userItems.Columns, seed);

    private sealed class Model(int users, int items, int seed) : IRecommenderModel
    {
        public string Name => "random";
        public int UserCount => users;
        public int ItemCount => items;

        public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
        {
            var random = new Random(seed * 1_000_003 + user);   // the same in every process, unlike HashCode.Combine
            var scores = new float[items];
            for (int i = 0; i < items; i++) scores[i] = random.NextSingle();
            return Ranking.Top(scores, user, userItems, count, excludeSeen, filter);
        }

        public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null) => ScoredItems.Empty;
    }
}
