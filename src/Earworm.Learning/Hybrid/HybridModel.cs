using Earworm.Learning.Factorization;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Hybrid;

/// <summary>
/// A trained hybrid factorisation (<see cref="HybridTrainer"/>): scores xᵤ·qᵢ + bᵢ with qᵢ the item's identity vector
/// (when it was played in training) plus its features' weighted vectors (their share damped by its listeners with
/// <see cref="HybridOptions.FeatureDamping"/>). Keeps the feature vectors, so an item it has
/// never seen is placed from its features alone (<see cref="Place"/>). Immutable and safe to share between threads.
/// </summary>
public sealed class HybridModel : MatrixFactorizationModel
{
    private readonly Dictionary<string, int> _featureIndex;
    private readonly RowMatrix _featureVectors;
    private readonly float[] _featureBiases;

    internal HybridModel(HybridOptions options, RowMatrix userFactors, RowMatrix itemVectors, float[] itemBiases,
        IReadOnlyList<string> featureNames, RowMatrix featureVectors, float[] featureBiases)
        : base("hybrid", userFactors, itemVectors, itemBiases)
    {
        Options = options;
        FeatureNames = featureNames;
        _featureIndex = featureNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        _featureVectors = featureVectors;
        _featureBiases = featureBiases;
    }

    public HybridOptions Options { get; }

    /// <summary>The features the model learned a vector for, by index.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>A feature's vector; empty when the model has no such feature.</summary>
    public ReadOnlySpan<float> FeatureVector(string feature) =>
        _featureIndex.TryGetValue(feature, out int f) ? _featureVectors.Row(f) : [];

    /// <summary>All feature vectors, row-major [features × Factors] (a copy).</summary>
    public float[] FeatureVectorArray() => _featureVectors.ToPackedArray();

    /// <summary>All feature biases (a copy).</summary>
    public float[] FeatureBiasArray() => [.. _featureBiases];

    /// <summary>Rebuilds a model from stored arrays: users [users × k], item vectors [items × k] and biases, the features'
    /// names, vectors [features × k] and biases (k = <see cref="HybridOptions.Factors"/>).</summary>
    public static HybridModel FromFactors(HybridOptions options, ReadOnlySpan<float> userFactors, ReadOnlySpan<float> itemVectors,
        ReadOnlySpan<float> itemBiases, IReadOnlyList<string> featureNames, ReadOnlySpan<float> featureVectors, ReadOnlySpan<float> featureBiases)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(featureNames);
        options.Validate();
        int k = options.Factors;
        if (userFactors.Length % k != 0 || itemVectors.Length % k != 0 || featureVectors.Length != featureNames.Count * k || featureBiases.Length != featureNames.Count)
            throw new ArgumentException($"arrays of {userFactors.Length}, {itemVectors.Length}, {featureVectors.Length} and {featureBiases.Length} floats do not fit {k} factors and {featureNames.Count} features.");
        return new HybridModel(options, RowMatrix.FromPacked(userFactors, k), RowMatrix.FromPacked(itemVectors, k), itemBiases.ToArray(),
            featureNames, RowMatrix.FromPacked(featureVectors, k), featureBiases.ToArray());
    }

    /// <summary>The vector and bias of an item known only by its features (weights as given; unknown features ignored):
    /// Σ w·e_f, as the model composes a cold item.</summary>
    public (float[] Vector, float Bias) Place(IEnumerable<(string Feature, float Weight)> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var v = new float[Factors];
        float b = 0;
        foreach (var (name, w) in features)
        {
            if (!_featureIndex.TryGetValue(name, out int f)) continue;
            Simd.AddScaled(w, _featureVectors.Row(f), v);
            b += w * _featureBiases[f];
        }
        return (v, b);
    }
}
