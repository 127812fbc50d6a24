using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// A trained implicit ALS model: user and item factors (float32), scores xᵤ·yᵢ, and fold-in of
/// users not seen in training. Immutable and safe to share between threads.
/// </summary>
public sealed class AlsModel : MatrixFactorizationModel
{
    private readonly Lazy<float[]> _gram;

    internal AlsModel(AlsOptions options, RowMatrix userFactors, RowMatrix itemFactors)
        : base("als", userFactors, itemFactors, itemBiases: null)
    {
        Options = options;
        var items = itemFactors;
        _gram = new Lazy<float[]>(() => Gram.Compute(items, options.Regularization, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }));
    }

    /// <summary>The options the model was trained with (α, scaling and λ are reused by fold-in).</summary>
    public AlsOptions Options { get; }

    /// <summary>
    /// Rebuilds a model from stored factors, row-major [users × k] and [items × k] with
    /// k = <see cref="AlsOptions.Factors"/>.
    /// </summary>
    public static AlsModel FromFactors(AlsOptions options, ReadOnlySpan<float> userFactors, ReadOnlySpan<float> itemFactors)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int k = options.Factors;
        if (userFactors.Length % k != 0 || itemFactors.Length % k != 0)
            throw new ArgumentException($"factor arrays of {userFactors.Length} and {itemFactors.Length} floats are not multiples of {k} factors.");
        return new AlsModel(options, RowMatrix.FromPacked(userFactors, k), RowMatrix.FromPacked(itemFactors, k));
    }

    /// <summary>
    /// Factors for a user not seen in training, from a handful of items and their counts: one exact
    /// least-squares solve against the fixed item factors, xᵤ = (YᵀY + λI + Σ aᵢ·yᵢyᵢᵀ)⁻¹·Σ (1 + aᵢ)·yᵢ
    /// (Hu et al. 2008, eq. 4; the same step training makes for every user). Repeated items are
    /// summed; items with count ≤ 0 are ignored, as in <see cref="InteractionMatrix"/>. Costs
    /// O(n·k² + k³): real-time for a new listener.
    /// </summary>
    /// <param name="items">item ids, 0..ItemCount−1.</param>
    /// <param name="counts">play counts (or weights) aligned with <paramref name="items"/>.</param>
    public override float[] FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> counts)
    {
        if (items.Length != counts.Length)
            throw new ArgumentException($"{items.Length} items but {counts.Length} counts.", nameof(counts));
        var merged = new SortedDictionary<int, float>();
        for (int j = 0; j < items.Length; j++)
        {
            if ((uint)items[j] >= (uint)ItemCount)
                throw new ArgumentOutOfRangeException(nameof(items), items[j], $"item outside 0..{ItemCount - 1}");
            if (!(counts[j] > 0 && float.IsFinite(counts[j]))) continue;
            merged[items[j]] = merged.GetValueOrDefault(items[j]) + counts[j];
        }
        var ids = merged.Keys.ToArray();
        var confidenceMinusOne = merged.Values.Select(Options.ConfidenceMinusOne).ToArray();
        var x = new float[Factors];
        ExactLeastSquares.SolveRow(ids, confidenceMinusOne, ItemMatrix, _gram.Value, x, new ExactLeastSquares.SolveScratch(Factors));
        return x;
    }

    public override string FoldInMethod => "one ALS least-squares solve";
}
