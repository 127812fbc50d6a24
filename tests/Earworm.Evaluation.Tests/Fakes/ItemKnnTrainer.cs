using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Fakes;

/// <summary>
/// A plain item-kNN for the lastfm-2k sanity run only (the real one is Earworm.Learning's): cosine similarity of
/// binary item columns, each item keeps its <paramref name="neighbours"/> nearest; a user's score for an item is
/// the sum of its similarities to the user's items. Only items with a positive score are listed.
/// </summary>
internal sealed class ItemKnnTrainer(int neighbours = 100) : IRecommenderTrainer
{
    public string Name => "itemknn";

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int items = userItems.Columns;
        var byItem = userItems.Transpose();
        var norm = new double[items];
        for (int i = 0; i < items; i++) norm[i] = Math.Sqrt(byItem.RowLength(i));
        var lists = new (int Item, float Similarity)[items][];
        Parallel.For(0, items, new ParallelOptions { CancellationToken = cancellationToken }, () => new int[items], (i, _, co) =>
        {
            var touched = new List<int>();
            foreach (int u in byItem.RowIndices(i))
                foreach (int j in userItems.RowIndices(u))
                {
                    if (j == i) continue;
                    if (co[j]++ == 0) touched.Add(j);
                }
            lists[i] = [.. touched.Select(j => (j, (float)(co[j] / (norm[i] * norm[j]))))
                .OrderByDescending(x => x.Item2).ThenBy(x => x.j).Take(neighbours)];
            foreach (int j in touched) co[j] = 0;
            return co;
        }, _ => { });
        return new Model(userItems.Rows, items, lists);
    }

    private sealed class Model(int users, int items, (int Item, float Similarity)[][] neighbours) : IRecommenderModel
    {
        public string Name => "itemknn";
        public int UserCount => users;
        public int ItemCount => items;

        public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
        {
            var scores = new float[items];
            foreach (int j in userItems.RowIndices(user))
                foreach (var (i, s) in neighbours[j]) scores[i] += s;
            return Ranking.Top(scores, user, userItems, count, excludeSeen, filter, floor: 0);
        }

        public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null)
        {
            var top = neighbours[item].Where(x => filter?.Invoke(x.Item) ?? true).Take(count).ToArray();
            return new ScoredItems([.. top.Select(x => x.Item)], [.. top.Select(x => x.Similarity)]);
        }
    }
}
