using System.Diagnostics;

namespace Earworm.Learning.Sequences;

/// <summary>Options of <see cref="SessionKnnTrainer"/>; the defaults are Ludewig &amp; Jannach's usual ones.</summary>
public sealed record SessionKnnOptions
{
    /// <summary>Neighbour sessions that vote (default 100).</summary>
    public int Neighbours { get; init; } = 100;

    /// <summary>Of the training sessions sharing an item with the current one, the most recent this many are compared
    /// (default 1 000; 0 = all).</summary>
    public int Sample { get; init; } = 1000;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Neighbours, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Sample);
    }
}

/// <summary>
/// Session-based k-nearest neighbours, "SKNN" (Jannach &amp; Ludewig 2017, "When recurrent neural networks meet the
/// neighborhood for session-based recommendation", RecSys; Ludewig &amp; Jannach 2018): the current session and each
/// training session are sets of played items; among the <see cref="SessionKnnOptions.Sample"/> most recent training
/// sessions that share an item with it, the <see cref="SessionKnnOptions.Neighbours"/> most similar by binary cosine
/// vote, and an item scores the summed similarity of the neighbours that hold it. Order inside a session is not used;
/// skips are not plays.
/// </summary>
public sealed class SessionKnnTrainer(SessionKnnOptions? options = null) : ISequenceTrainer
{
    private readonly SessionKnnOptions _options = Checked(options ?? new SessionKnnOptions());

    public string Name => "sknn";

    public ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var clock = Stopwatch.StartNew();
        var sessions = new List<int[]>(sequences.Count);
        foreach (var s in sequences)
        {
            s.Validate(itemCount);
            var set = s.Played().Distinct().Order().ToArray();
            if (set.Length > 0) sessions.Add(set);
        }
        // item → sessions holding it, most recent (latest in training order) first
        var lists = new List<int>[itemCount];
        for (int n = sessions.Count - 1; n >= 0; n--)
            foreach (var i in sessions[n]) (lists[i] ??= []).Add(n);
        progress?.Report(new TrainingProgress(Name, 1, 1, null, clock.Elapsed));
        return new Model(_options, [.. sessions], [.. lists.Select(l => l?.ToArray() ?? [])]);
    }

    private static SessionKnnOptions Checked(SessionKnnOptions o)
    {
        o.Validate();
        return o;
    }

    private sealed class Model(SessionKnnOptions options, int[][] sessions, int[][] sessionsOfItem) : ISequenceModel
    {
        public string Name => "sknn";
        public int ItemCount => sessionsOfItem.Length;

        public void Score(ReadOnlySpan<int> history, ReadOnlySpan<bool> skipped, Span<float> scores)
        {
            scores.Clear();
            var current = new HashSet<int>();
            for (int p = 0; p < history.Length; p++)
                if (skipped.IsEmpty || !skipped[p]) current.Add(history[p]);
            if (current.Count == 0) return;
            // candidates: the most recent sessions holding any current item, each counted once with its overlap
            var overlap = new Dictionary<int, int>();
            var recent = new SortedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
            foreach (var item in current)
                foreach (var n in sessionsOfItem[item])
                {
                    overlap[n] = overlap.GetValueOrDefault(n) + 1;
                    recent.Add(n);
                }
            IEnumerable<int> sample = options.Sample == 0 ? recent : recent.Take(options.Sample);
            var neighbours = sample
                .Select(n => (Session: n, Similarity: overlap[n] / Math.Sqrt((double)current.Count * sessions[n].Length)))
                .OrderByDescending(x => x.Similarity).ThenByDescending(x => x.Session)
                .Take(options.Neighbours);
            foreach (var (n, sim) in neighbours)
                foreach (var item in sessions[n]) scores[item] += (float)sim;
        }
    }
}
