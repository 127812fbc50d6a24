using System.Buffers;
using System.Diagnostics;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Neighbours;

/// <summary>
/// Item-based collaborative filtering (Sarwar, Karypis, Konstan &amp; Riedl 2001, "Item-based
/// collaborative filtering recommendation algorithms"; Deshpande &amp; Karypis 2004 for the top-K
/// model) as benfred/implicit's <c>ItemItemRecommender</c>: the similarity of items i and j is the
/// dot product of their weighted columns, sᵢⱼ = Σᵤ wᵤᵢ·wᵤⱼ (cosine: columns scaled to unit norm;
/// BM25: see <see cref="ItemSimilarity.Bm25"/>), and each item keeps its
/// <see cref="ItemKnnOptions.Neighbours"/> most similar other items.
/// </summary>
/// <remarks>
/// Cost Σᵤ nᵤ² over users with nᵤ items: the co-occurrences are accumulated item by item into a
/// dense buffer, in parallel over items; the result does not depend on the thread count.
/// </remarks>
public sealed class ItemKnnTrainer(ItemKnnOptions? options = null) : RecommenderTrainer<ItemKnnOptions, ItemKnnModel>(options ?? ItemKnnOptions.Default, o => o.Validate())
{
    /// <summary>"itemknn" (cosine) or "itemknn-bm25".</summary>
    public override string Name => Options.Similarity == ItemSimilarity.Bm25 ? "itemknn-bm25" : "itemknn";

    protected override ItemKnnModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var itemUsers = userItems.Transpose();
        var weighted = Options.Similarity == ItemSimilarity.Bm25
            ? InteractionWeighting.Bm25(itemUsers, Options.Bm25K1, Options.Bm25B)
            : InteractionWeighting.NormalizeRows(itemUsers);
        var byUser = weighted.Transpose();
        int items = userItems.Columns, k = Options.Neighbours;
        var neighbourIds = new int[items][];
        var neighbourScores = new float[items][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads, CancellationToken = cancellationToken };
        Parallel.For(0, items, parallel, () => new Accumulator(items), (i, _, acc) =>
        {
            var users = weighted.RowIndices(i);
            var wi = weighted.RowValues(i);
            for (int a = 0; a < users.Length; a++)
            {
                var others = byUser.RowIndices(users[a]);
                var wj = byUser.RowValues(users[a]);
                for (int b = 0; b < others.Length; b++)
                    if (others[b] != i) acc.Add(others[b], wi[a] * wj[b]);
            }
            var top = new TopK(k);
            foreach (var j in acc.Touched)
                if (acc[j] > 0) top.Add(j, acc[j]);
            var best = top.ToScoredItems();
            neighbourIds[i] = best.Ids;
            neighbourScores[i] = best.Scores;
            acc.Reset();
            return acc;
        }, acc => acc.Dispose());
        progress?.Report(new TrainingProgress(Name, 1, 1, null, clock.Elapsed));
        return new ItemKnnModel(Options, userItems.Rows, neighbourIds, neighbourScores);
    }

    /// <summary>
    /// A dense score buffer (rented from the shared pool) with the list of entries touched,
    /// cleared in O(touched). Weights are positive, so a touched entry is never zero.
    /// </summary>
    internal sealed class Accumulator : IDisposable
    {
        private readonly float[] _scores;

        public Accumulator(int size)
        {
            _scores = ArrayPool<float>.Shared.Rent(size);
            Array.Clear(_scores, 0, size);
        }

        public List<int> Touched { get; } = [];

        public float this[int id] => _scores[id];

        public void Add(int id, float value)
        {
            if (_scores[id] == 0) Touched.Add(id);
            _scores[id] += value;
        }

        public void Reset()
        {
            foreach (var id in Touched) _scores[id] = 0;
            Touched.Clear();
        }

        public void Dispose() => ArrayPool<float>.Shared.Return(_scores);
    }
}
