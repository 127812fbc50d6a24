using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>A trained BPR-MF model: scores xᵤ·yᵢ + bᵢ. Immutable and safe to share between threads.</summary>
public sealed class BprModel : MatrixFactorizationModel
{
    internal BprModel(BprOptions options, RowMatrix userFactors, RowMatrix itemFactors, float[] itemBiases)
        : base("bpr", userFactors, itemFactors, itemBiases) => Options = options;

    /// <summary>The options the model was trained with.</summary>
    public BprOptions Options { get; }

    /// <summary>
    /// Rebuilds a model from stored factors, row-major [users × k] and [items × k] with
    /// k = <see cref="BprOptions.Factors"/>, and one bias per item.
    /// </summary>
    public static BprModel FromFactors(BprOptions options, ReadOnlySpan<float> userFactors, ReadOnlySpan<float> itemFactors, ReadOnlySpan<float> itemBiases)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int k = options.Factors;
        if (userFactors.Length % k != 0 || itemFactors.Length % k != 0)
            throw new ArgumentException($"factor arrays of {userFactors.Length} and {itemFactors.Length} floats are not multiples of {k} factors.");
        return new BprModel(options, RowMatrix.FromPacked(userFactors, k), RowMatrix.FromPacked(itemFactors, k), itemBiases.ToArray());
    }
}
