using Earworm.Learning;
using Earworm.Learning.Embeddings;

namespace Earworm.Evaluation.Protocols;

/// <summary>
/// track2vec under a protocol: learns from listening sessions and playlists, restricted at every fit to what the
/// split leaves for training, so nothing held out leaks in. A session of user u keeps only the items u has in the
/// training matrix; a playlist keeps only items with at least one training user (its owner's held-out items are
/// dropped too). With no sequences at all it learns from each user's set of training items (item2vec, see
/// <see cref="ItemSets"/>), the only order-free choice.
/// </summary>
/// <param name="sessions">per-user sequences in dataset indices (sessions cut by time).</param>
/// <param name="playlists">ordered sequences with their owner when known.</param>
public sealed class SequenceTrack2VecTrainer(Track2VecOptions options, IReadOnlyList<(int User, int[] Items)> sessions,
    IReadOnlyList<(int? User, int[] Items)> playlists) : IRecommenderTrainer
{
    private readonly Track2VecTrainer _inner = new(options);

    public string Name => "track2vec";

    /// <summary>True when the trainer has sessions or playlists (else it learns from users' item sets).</summary>
    public bool HasSequences => sessions.Count + playlists.Count > 0;

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        if (!HasSequences) return ItemSets(options, userItems).Fit(userItems, progress, cancellationToken);
        var hasUsers = new bool[userItems.Columns];
        for (int u = 0; u < userItems.Rows; u++)
            foreach (var i in userItems.RowIndices(u)) hasUsers[i] = true;
        var kept = new List<int[]>();
        foreach (var (user, items) in sessions)
        {
            if ((uint)user >= (uint)userItems.Rows) continue;
            var s = items.Where(i => (uint)i < (uint)userItems.Columns && userItems.Contains(user, i)).ToArray();
            if (s.Length > 0) kept.Add(s);
        }
        foreach (var (owner, items) in playlists)
        {
            var s = items.Where(i => (uint)i < (uint)userItems.Columns && hasUsers[i]
                                     && (owner is not int o || (uint)o >= (uint)userItems.Rows || userItems.Contains(o, i))).ToArray();
            if (s.Length > 0) kept.Add(s);
        }
        var model = _inner.FitSequences(kept, userItems.Columns, progress, cancellationToken);
        return new UsersOf(model, userItems.Rows);
    }

    /// <summary>
    /// The trainer for users' item sets (item2vec, Barkan &amp; Koenigstein 2016): a set has no order, so every item of
    /// it is context of every other. word2vec draws each position's window uniformly from 1..Window, so the window is
    /// widened to four times the longest set: most pairs of a set are then within reach.
    /// </summary>
    public static Track2VecTrainer ItemSets(Track2VecOptions options, InteractionMatrix userItems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(userItems);
        int longest = 1;
        for (int u = 0; u < userItems.Rows; u++) longest = Math.Max(longest, userItems.RowLength(u));
        return new Track2VecTrainer(options with { Window = Math.Max(options.Window, 4 * longest) });
    }

    /// <summary>A sequence-trained model answering for the matrix's users (it scores from their rows).</summary>
    private sealed class UsersOf(Track2VecModel model, int users) : IRecommenderModel
    {
        public string Name => model.Name;
        public int UserCount => users;
        public int ItemCount => model.ItemCount;

        public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null) =>
            model.Recommend(user, userItems, count, excludeSeen, filter);

        public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null) => model.SimilarItems(item, count, filter);
    }
}
