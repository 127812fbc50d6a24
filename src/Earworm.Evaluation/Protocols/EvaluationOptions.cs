namespace Earworm.Evaluation.Protocols;

/// <summary>A vector space to measure intra-list diversity in: a name for the report and each item's vector.</summary>
/// <param name="Vector">an item's vector; every item's has the same length; called from several threads.</param>
public sealed record ItemSpace(string Name, Func<int, ReadOnlyMemory<float>> Vector);

/// <summary>How a protocol run measures. Defaults: K 10, 3 seeds from 1, curves to K 50, full rankings, ties broken
/// at random, all cores, no diversity space (diversity then left out).</summary>
public sealed record EvaluationOptions
{
    /// <summary>The cut-off of the table's metrics (default 10).</summary>
    public int K { get; init; } = 10;

    /// <summary>Number of splits, one per seed (default 3).</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The first seed; run i uses FirstSeed + i (default 1).</summary>
    public int FirstSeed { get; init; } = 1;

    /// <summary>The largest K of the precision/recall/NDCG-versus-K curves (default 50).</summary>
    public int CurveMaxK { get; init; } = 50;

    /// <summary>How many items each model ranks per user; null (default) = every candidate, which makes AUC exact.
    /// A smaller depth is faster, and AUC then treats the candidates below it as tied.</summary>
    public int? RankingDepth { get; init; }

    /// <summary>Users evaluated in parallel (models are immutable after Fit, so Recommend is thread-safe);
    /// −1 (default) = as many as the runtime likes, 1 = sequential.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// When true (default), items a model scores equally are put in random order (seeded by the run's seed and the
    /// user) before measuring, instead of the model's order. A model's order among ties is arbitrary — often item
    /// index, which a reader assigns in order of first appearance and so follows popularity — and must earn nothing:
    /// a CF model scores every cold item alike, and would otherwise be credited for the file's order. With a
    /// <see cref="RankingDepth"/>, ties straddling the cut are shuffled only among the items returned.
    /// </summary>
    public bool BreakTiesAtRandom { get; init; } = true;

    /// <summary>Where intra-list diversity is measured; null (default) leaves diversity out.</summary>
    public ItemSpace? DiversitySpace { get; init; }

    /// <summary>The seeds of the runs: FirstSeed, FirstSeed + 1, ….</summary>
    public IReadOnlyList<int> SeedList => [.. Enumerable.Range(0, Seeds).Select(i => FirstSeed + i)];

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(K, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Seeds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(CurveMaxK, 1);
        if (RankingDepth is int depth && depth < Math.Max(K, CurveMaxK))
            throw new ArgumentOutOfRangeException(nameof(RankingDepth), depth, $"must be at least K and CurveMaxK ({Math.Max(K, CurveMaxK)})");
        if (MaxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "must be −1 or positive");
    }
}
