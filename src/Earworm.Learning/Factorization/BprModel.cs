using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>A trained BPR-MF model: scores xᵤ·yᵢ + bᵢ. Immutable and safe to share between threads.</summary>
public sealed class BprModel : MatrixFactorizationModel
{
    internal BprModel(BprOptions options, RowMatrix userFactors, RowMatrix itemFactors, float[] itemBiases)
        : base("bpr", userFactors, itemFactors, itemBiases) => Options = options;

    /// <summary>The options the model was trained with.</summary>
    public BprOptions Options { get; }
}
