namespace Earworm.Learning.Tests;

/// <summary>Small interaction matrices with a known structure.</summary>
internal static class TestMatrices
{
    /// <summary>
    /// <paramref name="blocks"/> blocks of <paramref name="size"/> users and items; user u = b·size + k
    /// played every item b·size + j of its block except j = k, so item u is the one item of its
    /// block user u has not played and every other user of the block has (a generalised version of
    /// implicit's checker-board test). Counts 1..3.
    /// </summary>
    public static InteractionMatrix Blocks(int blocks, int size)
    {
        var list = new List<Interaction>();
        for (int b = 0; b < blocks; b++)
            for (int k = 0; k < size; k++)
                for (int j = 0; j < size; j++)
                    if (j != k) list.Add(new Interaction(b * size + k, b * size + j, 1 + (k + j) % 3));
        return InteractionMatrix.FromInteractions(list, blocks * size, blocks * size);
    }

    public static int BlockOf(int item, int size) => item / size;

    /// <summary>
    /// Users who each like one of <paramref name="topics"/> topics: 8–20 distinct items, 85 % from
    /// their topic (items are assigned to topics round-robin, item i in topic i mod topics), the rest
    /// anywhere; counts 1–5; seeded.
    /// </summary>
    public static InteractionMatrix Topics(int users, int items, int topics, int seed)
    {
        var rng = new Random(seed);
        var list = new List<Interaction>();
        int perTopic = items / topics;
        for (int u = 0; u < users; u++)
        {
            int topic = u % topics;
            int n = rng.Next(8, 21);
            var chosen = new HashSet<int>();
            while (chosen.Count < n)
                chosen.Add(rng.NextDouble() < 0.85 ? topic + topics * rng.Next(perTopic) : rng.Next(items));
            foreach (var i in chosen) list.Add(new Interaction(u, i, rng.Next(1, 6)));
        }
        return InteractionMatrix.FromInteractions(list, users, items);
    }

    /// <summary>The matrix without one entry per user (drawn with the seed), and those entries.</summary>
    public static (InteractionMatrix Train, int[] Withheld) LeaveOneOut(InteractionMatrix m, int seed)
    {
        var rng = new Random(seed);
        var withheld = new int[m.Rows];
        var list = new List<Interaction>();
        for (int u = 0; u < m.Rows; u++)
        {
            var row = m.RowIndices(u);
            withheld[u] = row.Length > 1 ? row[rng.Next(row.Length)] : -1;
            var values = m.RowValues(u);
            for (int j = 0; j < row.Length; j++)
                if (row[j] != withheld[u]) list.Add(new Interaction(u, row[j], values[j]));
        }
        return (InteractionMatrix.FromInteractions(list, m.Rows, m.Columns), withheld);
    }
}

/// <summary>Collects progress reports synchronously (<see cref="Progress{T}"/> posts them later, on the pool).</summary>
internal sealed class ProgressLog : IProgress<TrainingProgress>
{
    private readonly List<TrainingProgress> _reports = [];

    public IReadOnlyList<TrainingProgress> Reports
    {
        get { lock (_reports) return [.. _reports]; }
    }

    public void Report(TrainingProgress value)
    {
        lock (_reports) _reports.Add(value);
    }
}
